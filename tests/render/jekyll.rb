# Renders posts as Jekyll 4 does: its front-matter pattern and safe_load_yaml, then
# kramdown with Jekyll's default options (GFM input); Liquid is left as text.
# stdin: a JSON array of {"id", "path"}; stdout: one JSON object per post,
# {"id", "front_matter", "html"} or {"id", "error"}.
require "json"
require "jekyll"

options = Jekyll::Configuration::DEFAULTS["kramdown"].merge(
  "input" => "GFM", "syntax_highlighter" => nil
).transform_keys(&:to_sym)

def plain(value)
  case value
  when Hash then value.to_h { |k, v| [k.to_s, plain(v)] }
  when Array then value.map { |v| plain(v) }
  when Time then value.utc.iso8601
  when Date then value.iso8601
  else value
  end
end

JSON.parse($stdin.read).each do |post|
  begin
    text = File.read(post["path"], encoding: "bom|utf-8")
    data = {}
    body = text
    if (match = Jekyll::Document::YAML_FRONT_MATTER_REGEXP.match(text))
      body = match.post_match
      data = Jekyll::Utils.safe_load_yaml(match[1]) || {}
      # Jekyll reads a `date` it did not get as a timestamp with Time.parse.
      data["date"] = Jekyll::Utils.parse_date(data["date"].to_s) if data.is_a?(Hash) && data.key?("date")
    end
    html = Kramdown::Document.new(body, options).to_html
    result = { "id" => post["id"], "front_matter" => plain(data), "html" => html }
  rescue StandardError, Psych::Exception => e
    result = { "id" => post["id"], "error" => e.message }
  end
  puts JSON.generate(result)
end
