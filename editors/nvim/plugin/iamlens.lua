-- Nothing starts until require('iamlens').setup() is called; this only guards
-- against loading the plugin on Neovim older than 0.7.
if vim.fn.has('nvim-0.7') ~= 1 then
  vim.api.nvim_err_writeln('iamlens: Neovim 0.7 or newer is required')
end
