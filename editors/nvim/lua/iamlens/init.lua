-- iamlens for Neovim 0.7+: starts `iamlens serve` for JSON and YAML buffers
-- and adds :IamlensExplain.
--
--   require('iamlens').setup({
--     cmd = { 'iamlens', 'serve' },
--     settings = { iamlens = { rules = { ['no-route-to-s3'] = 'warning' } } },
--   })
local M = {}

local defaults = {
  -- The server command.
  cmd = { 'iamlens', 'serve' },
  -- Sent as initializationOptions and with workspace/didChangeConfiguration.
  settings = { iamlens = { rules = vim.empty_dict() } },
  filetypes = { 'json', 'yaml' },
  -- The first folder, walking up from the file, that holds one of these is the
  -- workspace root. No marker: the file's own folder.
  root_markers = { '.git', 'samconfig.toml', '.iamlens.yaml' },
  -- Optional: called as on_attach(client, bufnr).
  on_attach = nil,
  -- Optional: LSP client capabilities (e.g. from cmp_nvim_lsp).
  capabilities = nil,
}

M.config = nil
-- Neovim 0.7 only: root_dir -> client id, so that one client serves one root.
local clients_by_root = {}

local function notify(msg, level)
  vim.notify('iamlens: ' .. msg, level or vim.log.levels.INFO)
end

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

--- The workspace root for a file: the nearest ancestor holding a root marker.
function M.find_root(fname, markers)
  local dir = vim.fn.fnamemodify(fname, ':p:h')
  local start = dir
  while true do
    for _, marker in ipairs(markers) do
      if exists(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return start
    end
    dir = parent
  end
end

local function client_config(root_dir)
  local cfg = M.config
  return {
    name = 'iamlens',
    cmd = cfg.cmd,
    root_dir = root_dir,
    workspace_folders = {
      { uri = vim.uri_from_fname(root_dir), name = root_dir },
    },
    init_options = cfg.settings,
    -- Neovim sends these with workspace/didChangeConfiguration after
    -- initialize, and answers workspace/configuration from them.
    settings = cfg.settings,
    capabilities = cfg.capabilities,
    on_attach = cfg.on_attach,
  }
end

local function live_client(id)
  local client = id and vim.lsp.get_client_by_id(id)
  if client and not client.is_stopped() then
    return client
  end
  return nil
end

--- Attaches the iamlens client for this buffer's root (starting it if needed).
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == '' or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  if vim.fn.executable(M.config.cmd[1]) ~= 1 then
    if not M._warned_missing then
      M._warned_missing = true
      notify(
        string.format(
          "'%s' is not executable or not on PATH (PATH=%s). Install iamlens "
            .. "(go install github.com/iamlens/iamlens/cmd/iamlens@latest) or pass "
            .. "cmd = { '/path/to/iamlens', 'serve' } to require('iamlens').setup().",
          M.config.cmd[1],
          vim.env.PATH or ''
        ),
        vim.log.levels.ERROR
      )
    end
    return nil
  end
  local root_dir = M.find_root(fname, M.config.root_markers)

  if vim.lsp.start then -- Neovim 0.8+: reuses a client with the same name and root.
    return vim.lsp.start(client_config(root_dir), { bufnr = bufnr })
  end

  local client = live_client(clients_by_root[root_dir])
  local id = client and client.id or nil
  if id == nil then
    id = vim.lsp.start_client(client_config(root_dir))
    if id == nil then
      notify('could not start ' .. table.concat(M.config.cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    clients_by_root[root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- All running iamlens clients.
function M.clients()
  local out = {}
  for _, client in pairs(vim.lsp.get_active_clients()) do
    if client.name == 'iamlens' then
      table.insert(out, client)
    end
  end
  return out
end

-- An empty Lua table is sent as a JSON array; the server expects objects.
local function normalize(settings)
  settings = vim.tbl_deep_extend('force', {}, settings or {})
  settings.iamlens = settings.iamlens or {}
  if settings.iamlens.rules == nil or vim.tbl_isempty(settings.iamlens.rules) then
    settings.iamlens.rules = vim.empty_dict()
  end
  return settings
end

--- Replaces the settings and tells every running server.
function M.update_settings(settings)
  M.config.settings = normalize(settings)
  for _, client in ipairs(M.clients()) do
    client.config.settings = M.config.settings
    client.notify('workspace/didChangeConfiguration', { settings = M.config.settings })
  end
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', {}, defaults, opts or {})
  if opts and opts.filetypes then
    M.config.filetypes = opts.filetypes -- lists replace, not merge
  end
  if opts and opts.root_markers then
    M.config.root_markers = opts.root_markers
  end
  if opts and opts.cmd then
    M.config.cmd = opts.cmd
  end
  M.config.settings = normalize(M.config.settings)

  local group = vim.api.nvim_create_augroup('iamlens', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
    desc = 'iamlens: attach the language server',
  })

  vim.api.nvim_create_user_command('IamlensExplain', function(cmd)
    require('iamlens.explain').run(cmd.args ~= '' and cmd.args or nil)
  end, {
    nargs = '?',
    complete = 'file',
    desc = 'iamlens: show which buckets each function can reach, and why',
  })

  -- Buffers that were already open when setup() ran.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(M.config.filetypes, vim.bo[buf].filetype) then
      M.attach(buf)
    end
  end
end

return M
