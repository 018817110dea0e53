-- :IamlensExplain [FILE]: runs `iamlens explain --format text FILE` (default:
-- the current buffer's file) and shows the report in a scratch buffer.
local M = {}

local function notify(msg, level)
  vim.notify('iamlens: ' .. msg, level or vim.log.levels.INFO)
end

local function show(title, lines)
  vim.cmd('botright new')
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = 'nofile'
  vim.bo[buf].bufhidden = 'wipe'
  vim.bo[buf].swapfile = false
  pcall(vim.api.nvim_buf_set_name, buf, title)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = 'iamlensexplain'
  vim.api.nvim_buf_set_keymap(buf, 'n', 'q', '<cmd>close<CR>', { noremap = true, silent = true })
  return buf
end

--- The command line for a file, from the configured server command's binary.
function M.command(file)
  local cfg = require('iamlens').config
  local bin = (cfg and cfg.cmd and cfg.cmd[1]) or 'iamlens'
  return { bin, 'explain', '--format', 'text', file }
end

--- Runs the report; calls on_done(bufnr) when the scratch buffer is shown.
function M.run(file, on_done)
  local bufnr = vim.api.nvim_get_current_buf()
  file = file or vim.api.nvim_buf_get_name(bufnr)
  if file == '' then
    notify('this buffer has no file: save it, then run :IamlensExplain again.', vim.log.levels.WARN)
    return
  end
  file = vim.fn.fnamemodify(file, ':p')
  if vim.bo[bufnr].modified and vim.api.nvim_buf_get_name(bufnr) == file then
    notify('the buffer has unsaved changes: explaining the file as saved on disk.', vim.log.levels.WARN)
  end
  local cmd = M.command(file)
  if vim.fn.executable(cmd[1]) ~= 1 then
    notify(
      string.format("'%s' is not executable or not on PATH; set cmd in require('iamlens').setup().", cmd[1]),
      vim.log.levels.ERROR
    )
    return
  end

  local stdout, stderr = {}, {}
  local function collect(into)
    return function(_, data)
      for _, line in ipairs(data or {}) do
        table.insert(into, line)
      end
    end
  end
  local job = vim.fn.jobstart(cmd, {
    stdout_buffered = true,
    stderr_buffered = true,
    on_stdout = collect(stdout),
    on_stderr = collect(stderr),
    on_exit = function(_, code)
      vim.schedule(function()
        -- A buffered stream ends with one empty string.
        if stdout[#stdout] == '' then
          table.remove(stdout)
        end
        if stderr[#stderr] == '' then
          table.remove(stderr)
        end
        local lines = vim.list_extend({}, stdout)
        if code ~= 0 then
          notify(
            string.format('%s exited with code %d%s', table.concat(cmd, ' '), code, stderr[1] and (': ' .. stderr[1]) or ''),
            vim.log.levels.ERROR
          )
          if #stderr > 0 then
            table.insert(lines, '')
            table.insert(lines, '--- stderr ---')
            vim.list_extend(lines, stderr)
          end
        end
        if #lines == 0 then
          lines = { '(iamlens explain printed nothing)' }
        end
        local buf = show('iamlens-explain://' .. file, lines)
        if on_done then
          on_done(buf)
        end
      end)
    end,
  })
  if job <= 0 then
    notify('could not run ' .. table.concat(cmd, ' '), vim.log.levels.ERROR)
  end
end

return M
