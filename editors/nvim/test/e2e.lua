-- End-to-end test of the copydesk Neovim plugin in a real, headless Neovim.
-- Run through editors/nvim/test/run.sh, which sets:
--   COPYDESK_BIN   the server binary (started as `<bin> lsp --stdio`)
--   COPYDESK_SITE  a scratch copy of examples/hexo-site (edited, never saved)
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

  vim.cmd.edit(vim.fn.fnameescape(site .. '/source/_posts/imported-market-news.md'))
  check(vim.bo.filetype == 'markdown', 'post opens as markdown')
  check(vim.wait(10000, function()
    return client() ~= nil
  end, 50), 'copydesk client attaches to the post')
  local c = client()
  if not c then
    return
  end
  check(c.config.root_dir == site, 'root dir is the site (copydesk.toml)', tostring(c.config.root_dir))
  check(c.server_capabilities.diagnosticProvider ~= nil, 'server advertises diagnosticProvider (pull)')

  -- Diagnostics, pulled by Neovim.
  check(vim.wait(15000, function()
    return find_diagnostic('MK001') ~= nil and find_diagnostic('MK004') ~= nil and find_diagnostic('MK007') ~= nil
  end, 50), 'MK001, MK004 and MK007 diagnostics arrive', describe(copydesk_diagnostics()))
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
  local bad_codes = {}
  for _, d in ipairs(copydesk_diagnostics()) do
    if not tostring(diag_code(d)):match('^[FM][MK]%d%d%d$') then
      table.insert(bad_codes, tostring(diag_code(d)))
    end
  end
  check(#copydesk_diagnostics() > 0 and #bad_codes == 0, 'every diagnostic carries a rule code', table.concat(bad_codes, ' '))
  log('      diagnostics: ' .. describe(copydesk_diagnostics()))

  local comment = '<!-- 正文下iframe -->'
  local comment_lnum = line_of(comment)
  local mk001 = find_diagnostic('MK001')
  check(mk001 and mk001.lnum == comment_lnum - 1 and mk001.col == 0 and covered_text(mk001) == comment,
    'MK001 covers exactly the CMS comment', mk001 and vim.inspect(covered_text(mk001)))
  check(mk001 and vim.tbl_contains(vim.tbl_get(mk001, 'user_data', 'lsp', 'tags') or {}, 1),
    'MK001 is tagged Unnecessary (shown faded)')

  -- Positions on a CJK line: Neovim columns are bytes, the server may speak UTF-16.
  local attr = 'data-sudaclick="content_marketkeywords_p"'
  local cjk_lnum, cjk_line = line_of(attr)
  local attr_byte = cjk_line:find(attr, 1, true) - 1
  local attr_chars = vim.fn.strchars(cjk_line:sub(1, attr_byte))
  assert(attr_byte ~= attr_chars, 'the tracking attribute must follow CJK text')
  local mk004 = find_diagnostic('MK004')
  if check(mk004 ~= nil, 'MK004 present') then
    check(mk004.lnum == cjk_lnum - 1 and mk004.col == attr_byte,
      ('MK004 starts at line %d byte column %d (UTF-16 column %d)'):format(cjk_lnum, attr_byte, attr_chars),
      ('got %d:%d'):format(mk004.lnum, mk004.col))
    check(vim.trim(covered_text(mk004) or '') == attr, 'MK004 covers exactly the attribute', vim.inspect(covered_text(mk004)))
  end
  local keyword_link = '<span id="stock_sz300750">'
  local mk007 = find_diagnostic('MK007')
  check(mk007 and mk007.lnum == cjk_lnum - 1 and mk007.col == cjk_line:find(keyword_link, 1, true) - 1
    and mk004 and mk007.end_col > mk004.end_col,
    'MK007 (keyword link) encloses MK004 on the same line', mk007 and describe({ mk007 }))

  -- Quick fix on nested spans: each fix names its own diagnostic; Neovim picks MK004's by that link.
  vim.api.nvim_win_set_cursor(0, { cjk_lnum, attr_byte })
  local lsp_diags = {}
  for _, d in ipairs(copydesk_diagnostics()) do
    if d.lnum == cjk_lnum - 1 and d.col <= attr_byte and d.end_col > attr_byte then
      table.insert(lsp_diags, d.user_data.lsp)
    end
  end
  check(#lsp_diags >= 2, 'the cursor is inside two nested problems (MK007 and MK004)', #lsp_diags .. ' found')
  local params = vim.lsp.util.make_range_params(0, c.offset_encoding)
  params.context = { diagnostics = lsp_diags, only = { 'quickfix' } }
  local responses = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 5000) or {}
  local actions = vim.tbl_get(responses, c.id, 'result') or {}
  local fixed_codes = {}
  for _, action in ipairs(actions) do
    local linked = action.diagnostics or {}
    check(#linked == 1, ('quick fix %q lists the one diagnostic it fixes'):format(tostring(action.title)), #linked .. ' listed')
    for _, d in ipairs(linked) do
      fixed_codes[d.code] = (fixed_codes[d.code] or 0) + 1
    end
  end
  check(fixed_codes.MK004 == 1 and fixed_codes.MK007 ~= nil, 'MK004 and MK007 each have their own quick fix', vim.inspect(fixed_codes))
  local picked = 0
  vim.lsp.buf.code_action({
    context = { only = { 'quickfix' }, diagnostics = lsp_diags },
    filter = function(action)
      for _, d in ipairs(action.diagnostics or {}) do
        if d.code == 'MK004' then
          picked = picked + 1
          return true
        end
      end
      return false
    end,
    apply = true,
  })
  local fixed_line = cjk_line:sub(1, attr_byte - 1) .. cjk_line:sub(attr_byte + #attr + 1)
  check(vim.wait(5000, function()
    return vim.api.nvim_buf_get_lines(0, cjk_lnum - 1, cjk_lnum, false)[1] == fixed_line
  end, 50), 'the MK004 quick fix removed only the attribute (the keyword link stays)',
    vim.inspect(vim.api.nvim_buf_get_lines(0, cjk_lnum - 1, cjk_lnum, false)[1]))
  check(picked == 1, 'exactly one quick fix is linked to MK004', picked .. ' linked')
  check(vim.wait(10000, function()
    return find_diagnostic('MK004') == nil and find_diagnostic('MK007') ~= nil
  end, 50), 'MK004 disappears after the fix, MK007 stays (diagnostics re-pulled)', describe(copydesk_diagnostics()))

  -- :CopydeskFixAll runs source.fixAll.copydesk: safe fixes only.
  vim.cmd('CopydeskFixAll')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  check(not text:find(comment, 1, true), ':CopydeskFixAll removed the CMS comment (safe)')
  check(not text:find('<script', 1, true), ':CopydeskFixAll removed the script (safe)')
  check(not text:find('class="keyword"', 1, true) and text:find('动力电池', 1, true) ~= nil,
    ':CopydeskFixAll unwrapped the keyword link and kept its text (safe)')
  check(text:find('appendQr_wrap', 1, true) ~= nil, ':CopydeskFixAll left the ad block alone (its fix is unsafe)')
  check(text:find('多家新能源车企', 1, true) ~= nil, ':CopydeskFixAll kept the article text')
  check(vim.wait(10000, function()
    return find_diagnostic('MK001') == nil and find_diagnostic('MK003') == nil
  end, 50), 'fixed problems disappear after fix-all', describe(copydesk_diagnostics()))
  check(pushes == 0, 'still no pushed diagnostics after edits', pushes .. ' publishDiagnostics received')

  -- Completion inside `categories:` offers the site's categories, hierarchy-aware.
  local last_result
  local function complete_at_item(item_lnum)
    vim.api.nvim_buf_set_lines(0, item_lnum - 1, item_lnum, false, { '  - ' })
    local labels = {}
    vim.wait(10000, function()
      local res = vim.lsp.buf_request_sync(0, 'textDocument/completion', {
        textDocument = { uri = vim.uri_from_bufnr(0) },
        position = { line = item_lnum - 1, character = 4 },
      }, 3000) or {}
      local result = vim.tbl_get(res, c.id, 'result') or {}
      last_result = result
      labels = {}
      for _, item in ipairs(result.items or result) do
        labels[item.label] = item
      end
      return next(labels) ~= nil
    end, 200)
    return labels
  end
  local cat_lnum = line_of('categories:')
  local original = vim.api.nvim_buf_get_lines(0, cat_lnum, cat_lnum + 2, false)
  local top = complete_at_item(cat_lnum + 1)
  vim.api.nvim_buf_set_lines(0, cat_lnum, cat_lnum + 1, false, { original[1] })
  for _, category in ipairs({ '金融', '科技', '生活' }) do
    check(top[category] ~= nil, 'first item of categories: offers top-level ' .. category,
      'got ' .. table.concat(vim.tbl_keys(top), ', '))
  end
  check(top['基金'] == nil and top['新能源'] == nil, 'first item offers neither sub-categories nor tags',
    table.concat(vim.tbl_keys(top), ', '))
  check(top['金融'] and tostring(top['金融'].detail):match('^%d+ posts?') ~= nil,
    'completion item says how many posts use it', top['金融'] and vim.inspect(top['金融'].detail))
  -- Neovim declares completionList.itemDefaults: the range comes once, for the list.
  local edit_range = vim.tbl_get(last_result or {}, 'itemDefaults', 'editRange')
  check(edit_range ~= nil and edit_range.start.character == 4 and top['金融'] ~= nil and top['金融'].textEdit == nil,
    'the list carries its edit range once (itemDefaults.editRange), not in each value',
    vim.inspect(last_result and last_result.itemDefaults))
  local sub = complete_at_item(cat_lnum + 2)
  check(sub['基金'] ~= nil and sub['固定收益'] ~= nil, 'under `- 金融` the next item offers 金融\'s sub-categories',
    'got ' .. table.concat(vim.tbl_keys(sub), ', '))
  check(sub['人工智能'] == nil and sub['编程语言'] == nil, 'and not those of 科技', table.concat(vim.tbl_keys(sub), ', '))

  -- Site-dependent rules: a saved post's own use must not count as another post's.
  vim.cmd('hide edit ' .. vim.fn.fnameescape(site .. '/source/_posts/taxonomy-typos.md'))
  check(vim.wait(15000, function()
    local fm013 = find_diagnostic('FM013')
    return fm013 ~= nil and fm013.lnum == line_of('科枝') - 1
  end, 50), 'FM013 flags the mistyped category 科枝 on a saved post', describe(copydesk_diagnostics()))
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
