-- Runs one e2e scenario in headless Neovim (0.7+) through editors/nvim:
-- open the file, wait for the rule's diagnostic, hover, apply a quick fix,
-- wait for the diagnostic to clear. Reads the scenario from $IAMLENS_SCENARIO
-- and writes what it saw to scenario.result (JSON). Assertions are in Go.
local cfg = vim.json.decode(table.concat(vim.fn.readfile(os.getenv('IAMLENS_SCENARIO')), '\n'))
local result = { actions = {} }

local function now_ms()
  return vim.loop.hrtime() / 1e6
end

local function write_result()
  vim.fn.writefile({ vim.json.encode(result) }, cfg.result)
end

local function hover_text(contents)
  if type(contents) == 'string' then
    return contents
  end
  if contents.value then -- MarkupContent or { language, value }
    return contents.value
  end
  local parts = {}
  for _, c in ipairs(contents) do
    table.insert(parts, type(c) == 'string' and c or c.value)
  end
  return table.concat(parts, '\n')
end

local function scenario()
  vim.opt.runtimepath:prepend(cfg.plugin)

  -- Keep the raw LSP diagnostics (and count publishes) per URI.
  local raw, publishes = {}, {}
  local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, res, ctx, conf)
    raw[res.uri] = res.diagnostics
    publishes[res.uri] = (publishes[res.uri] or 0) + 1
    return default_handler(err, res, ctx, conf)
  end

  local iamlens = require('iamlens')
  iamlens.setup({ cmd = cfg.cmd })

  local t0 = now_ms()
  vim.cmd('edit ' .. vim.fn.fnameescape(cfg.file))
  local buf = vim.api.nvim_get_current_buf()
  -- -u NONE has no filetype detection; setting it fires the plugin's FileType autocmd.
  vim.bo[buf].filetype = cfg.languageId
  local uri = vim.uri_from_bufnr(buf)

  local function rule_diags()
    local out = {}
    for _, d in ipairs(raw[uri] or {}) do
      if d.code == cfg.rule then
        table.insert(out, d)
      end
    end
    return out
  end

  local got = vim.wait(cfg.timeoutMs, function()
    return #rule_diags() > 0
  end, 10)
  result.diagnostics = raw[uri] or {}
  if not got then
    error(string.format('no %s diagnostic within %d ms', cfg.rule, cfg.timeoutMs))
  end
  result.firstDiagnosticMs = now_ms() - t0

  local client = iamlens.clients()[1]
  assert(client, 'no iamlens client is running')

  if cfg.hover ~= nil and cfg.hover ~= vim.NIL then
    local params = { textDocument = { uri = uri }, position = cfg.hover }
    local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000) or {}
    for _, r in pairs(responses) do
      if r.result and r.result.contents then
        result.hover = hover_text(r.result.contents)
      elseif r.err then
        error('hover failed: ' .. vim.inspect(r.err))
      end
    end
  end

  local diag = rule_diags()[1]
  local params = {
    textDocument = { uri = uri },
    range = diag.range,
    context = { diagnostics = { diag }, only = { 'quickfix' } },
  }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000) or {}
  local chosen
  for _, r in pairs(responses) do
    if r.err then
      error('codeAction failed: ' .. vim.inspect(r.err))
    end
    for _, action in ipairs(r.result or {}) do
      table.insert(result.actions, action.title)
      for _, prefix in ipairs(cfg.fixPrefixes) do
        if vim.startswith(action.title, prefix) and (chosen == nil or (action.isPreferred and not chosen.isPreferred)) then
          chosen = action
        end
      end
    end
  end
  if not chosen then
    error('no quick fix starting with ' .. table.concat(cfg.fixPrefixes, ' or '))
  end
  if not chosen.edit and chosen.data then
    local resolved = vim.lsp.buf_request_sync(buf, 'codeAction/resolve', chosen, 10000) or {}
    for _, r in pairs(resolved) do
      chosen = r.result or chosen
    end
  end
  assert(chosen.edit, 'the quick fix has no edit: ' .. vim.inspect(chosen))
  local before = publishes[uri] or 0
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  result.applied = chosen.title
  result.textAfter = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') .. '\n'

  local t1 = now_ms()
  result.cleared = vim.wait(cfg.timeoutMs, function()
    return (publishes[uri] or 0) > before and #rule_diags() == 0
  end, 10)
  result.clearedMs = now_ms() - t1
  result.diagnosticsAfter = raw[uri] or {}
end

local ok, err = pcall(scenario)
if not ok then
  result.error = tostring(err)
  io.stdout:write('FAIL: ' .. tostring(err) .. '\n')
end
write_result()
vim.cmd(ok and 'qall!' or 'cquit 2')
