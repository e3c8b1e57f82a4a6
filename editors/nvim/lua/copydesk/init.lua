-- copydesk for Neovim 0.8+: require('copydesk').setup(opts) starts the
-- language server on Markdown buffers. On 0.11+ `vim.lsp.enable('copydesk')`
-- (lsp/copydesk.lua) does the same without this module.
local M = {}

M.defaults = {
  cmd = { 'copydesk', 'lsp', '--stdio' },
  filetypes = { 'markdown' },
  root_markers = { 'copydesk.toml', '_config.yml', 'hugo.toml', 'config.toml', '.git' },
  -- Optional: init_options (sent as initializationOptions, e.g. { rules = { MK011 = 'off' } }),
  -- settings (workspace/didChangeConfiguration), on_attach.
}

local FIX_ALL_KIND = 'source.fixAll.copydesk'

--- How to install the server, for messages that say it is missing.
M.INSTALL_HINT = 'Install it with `pip install copydesk`, `npm install -g copydesk` or `cargo install copydesk` '
  .. '(from a clone of the repository: `cargo install --path .`)'

-- Nearest directory above `path` holding one of `markers`, trying markers in
-- priority order; falls back to the file's own directory.
local function find_root(path, markers)
  local dir = vim.fs.dirname(path)
  for _, marker in ipairs(markers) do
    local found = vim.fs.find(marker, { path = dir, upward = true })[1]
    if found then
      return vim.fs.dirname(found)
    end
  end
  return dir
end

-- An empty Lua table encodes as a JSON array; the server expects objects.
local function as_object(value)
  if type(value) == 'table' and vim.tbl_isempty(value) then
    return vim.empty_dict()
  end
  return value
end

local function start(bufnr, opts)
  if vim.bo[bufnr].buftype ~= '' then
    return
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return
  end
  vim.lsp.start({
    name = 'copydesk',
    cmd = opts.cmd,
    root_dir = find_root(name, opts.root_markers),
    init_options = as_object(opts.init_options),
    settings = as_object(opts.settings),
    on_attach = opts.on_attach,
  }, { bufnr = bufnr })
end

--- Starts copydesk on every buffer of `opts.filetypes` (default: markdown).
---@param opts table|nil see M.defaults
function M.setup(opts)
  opts = vim.tbl_deep_extend('force', M.defaults, opts or {})
  -- :checkhealth copydesk reports on the settings in use.
  M.options = opts
  if vim.fn.executable(opts.cmd[1]) == 0 then
    vim.notify(
      ('copydesk: server `%s` not found. %s, or pass its path: '
        .. 'require("copydesk").setup({ cmd = { "/path/to/copydesk", "lsp", "--stdio" } })'):format(opts.cmd[1], M.INSTALL_HINT),
      vim.log.levels.WARN
    )
    return
  end
  local group = vim.api.nvim_create_augroup('copydesk', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      start(args.buf, opts)
    end,
  })
  -- Buffers opened before setup() ran.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(opts.filetypes, vim.bo[bufnr].filetype) then
      start(bufnr, opts)
    end
  end
end

--- Applies every safe fix in the buffer (the server's `source.fixAll.copydesk`
--- action), synchronously so it can run from BufWritePre.
---@param bufnr integer|nil default: current buffer
---@param timeout_ms integer|nil default: 2000
function M.fix_all(bufnr, timeout_ms)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    -- Line-only positions mean the same in every position encoding.
    range = {
      start = { line = 0, character = 0 },
      ['end'] = { line = vim.api.nvim_buf_line_count(bufnr), character = 0 },
    },
    context = { only = { FIX_ALL_KIND }, diagnostics = {} },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout_ms or 2000)
  for client_id, response in pairs(responses or {}) do
    local client = vim.lsp.get_client_by_id(client_id)
    if client and client.name == 'copydesk' then
      for _, action in ipairs(response.result or {}) do
        if action.kind == FIX_ALL_KIND then
          if action.edit then
            vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
          end
          local command = type(action.command) == 'table' and action.command or nil
          if command then
            vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand', command, timeout_ms or 2000)
          end
          return true
        end
      end
    end
  end
  return false
end

return M
