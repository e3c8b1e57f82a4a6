-- End-to-end test of the copydesk Neovim plugin in a real, headless Neovim.
-- Run through editors/nvim/test/run.sh, which sets:
--   COPYDESK_BIN   the server binary (started as `<bin> lsp --stdio`)
--   COPYDESK_SITE  a scratch copy of the test site (edited, never saved)
--   COPYDESK_MODE  `enable` (lsp/copydesk.lua, Neovim 0.11+) or `setup` (require('copydesk').setup())
-- Exits 0 when every check passed, 1 when one failed, 2 on an error in the test itself.

local bin = assert(os.getenv('COPYDESK_BIN'), 'COPYDESK_BIN not set')
local site = assert(os.getenv('COPYDESK_SITE'), 'COPYDESK_SITE not set')
local mode = os.getenv('COPYDESK_MODE') or 'enable'
local plugin_dir = vim.fs.dirname(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2)))

local passed, failed = 0, 0
local function log(msg)
  io.stderr:write(msg .. '\n')
end
local function check(cond, what, detail)
  if cond then
    passed = passed + 1
    log('ok    ' .. what)
  else
    failed = failed + 1
    log('FAIL  ' .. what .. (detail and ('\n      ' .. detail) or ''))
  end
  return cond
end

-- Counts server pushes: a server must not push diagnostics to a client that pulls.
local pushes = 0
local default_push_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  pushes = pushes + 1
  return default_push_handler(err, result, ctx, config)
end

-- Errors the user would see: server error messages and error/warning notifications.
local complaints = {}
local default_show_message = vim.lsp.handlers['window/showMessage']
vim.lsp.handlers['window/showMessage'] = function(err, result, ctx, config)
  if result and result.type <= 2 then
    table.insert(complaints, 'window/showMessage: ' .. tostring(result.message))
  end
  return default_show_message(err, result, ctx, config)
end
local default_notify = vim.notify
vim.notify = function(msg, level, opts)
  if level and level >= vim.log.levels.WARN then
    table.insert(complaints, 'notify: ' .. tostring(msg))
  end
  return default_notify(msg, level, opts)
end

local function client()
  return vim.lsp.get_clients({ bufnr = 0, name = 'copydesk' })[1]
end

local function diag_code(d)
  return d.code or vim.tbl_get(d, 'user_data', 'lsp', 'code')
end

local function copydesk_diagnostics()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.source == 'copydesk' then
      table.insert(out, d)
    end
  end
  return out
end

local function find_diagnostic(code)
  for _, d in ipairs(copydesk_diagnostics()) do
    if diag_code(d) == code then
      return d
    end
  end
end

local function line_of(needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    if line:find(needle, 1, true) then
      return i, line
    end
  end
end

-- Text a single-line diagnostic covers (columns are bytes in Neovim).
local function covered_text(d)
  local line = vim.api.nvim_buf_get_lines(0, d.lnum, d.lnum + 1, false)[1] or ''
  if d.end_lnum ~= d.lnum then
    return nil
  end
  return line:sub(d.col + 1, d.end_col)
end

local function describe(diags)
  local parts = {}
  for _, d in ipairs(diags) do
    table.insert(parts, ('%s@%d:%d-%d:%d'):format(diag_code(d), d.lnum, d.col, d.end_lnum, d.end_col))
  end
  return table.concat(parts, ' ')
end

local function run()
  vim.opt.rtp:prepend(plugin_dir)
  vim.cmd('runtime! plugin/copydesk.lua')
  local cmd = { bin, 'lsp', '--stdio' }
  if mode == 'enable' then
    vim.lsp.config('copydesk', { cmd = cmd })
    vim.lsp.enable('copydesk')
  else
    require('copydesk').setup({ cmd = cmd })
  end
  log(('nvim %s, mode %s, server %s'):format(tostring(vim.version()), mode, bin))

  vim.cmd.edit(vim.fn.fnameescape(site .. '/source/_posts/market-notes.md'))
  check(vim.bo.filetype == 'markdown', 'post opens as markdown')
  check(vim.wait(10000, function()
    return client() ~= nil
  end, 50), 'copydesk client attaches to the post')
  local c = client()
  if not c then
    return
  end
  check(c.config.root_dir == site, 'root dir is the site (found by _config.yml)', tostring(c.config.root_dir))
  check(c.server_capabilities.diagnosticProvider ~= nil, 'server advertises diagnosticProvider (pull)')

  -- Diagnostics, pulled by Neovim.
  check(vim.wait(15000, function()
    return find_diagnostic('MK001') ~= nil and find_diagnostic('MK004') ~= nil
  end, 50), 'MK001 and MK004 diagnostics arrive', describe(copydesk_diagnostics()))
  vim.wait(1500) -- room for a stray push to arrive before counting
  check(pushes == 0, 'server pushed no diagnostics to a pulling client', pushes .. ' publishDiagnostics received')
  local seen, duplicates = {}, {}
  for _, d in ipairs(copydesk_diagnostics()) do
    local key = ('%s@%d:%d-%d:%d'):format(diag_code(d), d.lnum, d.col, d.end_lnum, d.end_col)
    if seen[key] then
      table.insert(duplicates, key)
    end
    seen[key] = true
  end
  check(#duplicates == 0, 'each problem is shown once', table.concat(duplicates, ' '))
  for _, d in ipairs(copydesk_diagnostics()) do
    check(type(diag_code(d)) == 'string' and diag_code(d):match('^[FM][MK]%d%d%d$') ~= nil,
      'diagnostic carries a rule code: ' .. tostring(diag_code(d)))
  end

  -- Positions on the CJK line: Neovim columns are bytes, the server may speak UTF-16.
  local comment = '<!-- 正文下iframe -->'
  local cjk_lnum, cjk_line = line_of(comment)
  local comment_byte = cjk_line:find(comment, 1, true) - 1
  local comment_chars = vim.fn.strchars(cjk_line:sub(1, comment_byte))
  assert(comment_byte ~= comment_chars, 'fixture: the comment must follow CJK text')
  local mk001 = find_diagnostic('MK001')
  if check(mk001 ~= nil, 'MK001 present') then
    check(mk001.lnum == cjk_lnum - 1 and mk001.col == comment_byte,
      ('MK001 starts at line %d byte column %d (UTF-16 column %d)'):format(cjk_lnum, comment_byte, comment_chars),
      ('got %d:%d'):format(mk001.lnum, mk001.col))
    check(covered_text(mk001) == comment, 'MK001 covers exactly the CMS comment', vim.inspect(covered_text(mk001)))
    check(vim.tbl_contains(vim.tbl_get(mk001, 'user_data', 'lsp', 'tags') or {}, 1),
      'MK001 is tagged Unnecessary (shown faded)')
  end
  local attr = 'data-sudaclick="news_p1"'
  local attr_lnum, attr_line = line_of(attr)
  local mk004 = find_diagnostic('MK004')
  if check(mk004 ~= nil, 'MK004 present') then
    check(mk004.lnum == attr_lnum - 1 and mk004.col == attr_line:find(attr, 1, true) - 1,
      'MK004 starts at the tracking attribute', ('got %d:%d'):format(mk004.lnum, mk004.col))
    check(vim.trim(covered_text(mk004) or '') == attr, 'MK004 covers the attribute', vim.inspect(covered_text(mk004)))
  end

  -- Quick fix: every quickfix names its diagnostic, and Neovim picks it by that link.
  vim.api.nvim_win_set_cursor(0, { cjk_lnum, comment_byte })
  local line_diags = vim.tbl_filter(function(d)
    return d.lnum == cjk_lnum - 1
  end, copydesk_diagnostics())
  local lsp_diags = {}
  for _, d in ipairs(line_diags) do
    table.insert(lsp_diags, d.user_data and d.user_data.lsp or nil)
  end
  local params = vim.lsp.util.make_range_params(0, c.offset_encoding)
  params.context = { diagnostics = lsp_diags, only = { 'quickfix' } }
  local responses = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 5000) or {}
  local actions = vim.tbl_get(responses, c.id, 'result') or {}
  check(#actions > 0, 'server offers a quick fix on the CJK line')
  for _, action in ipairs(actions) do
    check(action.diagnostics and #action.diagnostics > 0,
      'quick fix "' .. tostring(action.title) .. '" lists the diagnostic it fixes')
  end
  local picked = 0
  vim.lsp.buf.code_action({
    context = { only = { 'quickfix' }, diagnostics = lsp_diags },
    filter = function(action)
      for _, d in ipairs(action.diagnostics or {}) do
        if d.code == 'MK001' then
          picked = picked + 1
          return true
        end
      end
      return false
    end,
    apply = true,
  })
  local fixed_line = cjk_line:sub(1, comment_byte) .. cjk_line:sub(comment_byte + #comment + 1)
  check(vim.wait(5000, function()
    return vim.api.nvim_buf_get_lines(0, cjk_lnum - 1, cjk_lnum, false)[1] == fixed_line
  end, 50), 'quick fix removed the comment and kept the text',
    vim.inspect(vim.api.nvim_buf_get_lines(0, cjk_lnum - 1, cjk_lnum, false)[1]))
  check(picked == 1, 'exactly one quick fix is linked to MK001', picked .. ' linked')
  check(vim.wait(10000, function()
    return find_diagnostic('MK001') == nil
  end, 50), 'MK001 disappears after the fix (diagnostics re-pulled)', describe(copydesk_diagnostics()))

  -- :CopydeskFixAll runs source.fixAll.copydesk.
  vim.cmd('CopydeskFixAll')
  local after = select(2, line_of('full report'))
  check(after ~= nil and not after:find('data-sudaclick', 1, true), ':CopydeskFixAll removed the tracking attribute',
    vim.inspect(after))
  check(after ~= nil and after:find('<a href="https://example.com/report">full report</a>', 1, true) ~= nil,
    ':CopydeskFixAll kept the link and its text', vim.inspect(after))
  check(vim.wait(10000, function()
    return find_diagnostic('MK004') == nil
  end, 50), 'MK004 disappears after fix-all', describe(copydesk_diagnostics()))
  check(pushes == 0, 'still no pushed diagnostics after edits', pushes .. ' publishDiagnostics received')

  -- Completion inside `categories:` offers the site's categories.
  local cat_lnum = line_of('categories:')
  vim.api.nvim_buf_set_lines(0, cat_lnum, cat_lnum + 1, false, { '  - ' })
  vim.api.nvim_win_set_cursor(0, { cat_lnum + 1, 4 })
  local labels, items = {}, {}
  vim.wait(10000, function()
    local res = vim.lsp.buf_request_sync(0, 'textDocument/completion', {
      textDocument = { uri = vim.uri_from_bufnr(0) },
      position = { line = cat_lnum, character = 4 },
    }, 3000) or {}
    local result = vim.tbl_get(res, c.id, 'result') or {}
    items = result.items or result
    labels = {}
    for _, item in ipairs(items) do
      labels[item.label] = item
    end
    return labels['科技'] ~= nil and labels['生活'] ~= nil
  end, 200)
  for _, category in ipairs({ '财经', '科技', '生活' }) do
    check(labels[category] ~= nil, 'completion in categories: offers ' .. category,
      'got ' .. table.concat(vim.tbl_keys(labels), ', '))
  end
  check(labels['科技'] and tostring(labels['科技'].detail):match('^1 post') ~= nil,
    'completion item says how many posts use it', labels['科技'] and vim.inspect(labels['科技'].detail))
  check(labels['股票'] == nil, 'completion in categories: does not offer tags')
  check(#complaints == 0, 'no error or warning shown to the user', table.concat(complaints, '\n      '))
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  log('ERROR ' .. tostring(err))
end
log(('nvim-%s: %d passed, %d failed'):format(mode, passed, failed))
for _, cl in ipairs(vim.lsp.get_clients()) do
  cl:stop()
end
vim.wait(1000, function()
  return #vim.lsp.get_clients() == 0
end, 50)
vim.cmd((ok and failed == 0) and 'qall!' or (ok and 'cquit! 1' or 'cquit! 2'))
