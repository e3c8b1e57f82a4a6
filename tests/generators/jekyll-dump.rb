# A Jekyll plugin (copied into a site's _plugins/) that writes, as JSON, what
# Jekyll read from each post to the file named by COPYDESK_DUMP, then stops the
# build: rendering is not what the differential suite judges.
require "json"

Jekyll::Hooks.register :site, :post_read do |site|
  # The keys Jekyll's own reader takes from the file (the defaults it adds aside).
  front_matter_keys = lambda do |path|
    text = File.read(path, encoding: "UTF-8")
    match = Jekyll::Document::YAML_FRONT_MATTER_REGEXP.match(text)
    data = match && Jekyll::Utils.safe_load_yaml(match[1])
    data.is_a?(Hash) ? data.keys.map(&:to_s) : []
  rescue StandardError
    []
  end
  # Scalars as text, to tell which of two equal keys Psych kept.
  scalar = lambda do |value|
    case value
    when String, Numeric, TrueClass, FalseClass, Time, Date then value.to_s
    end
  end
  posts = site.posts.docs.to_h do |post|
    data = post.data
    keys = front_matter_keys.call(post.path)
    [File.basename(post.path), {
      "keys" => keys,
      "values" => keys.to_h { |key| [key, scalar.call(data[key])] }.compact,
      "date" => post.date.utc.strftime("%Y-%m-%dT%H:%M:%S.%LZ"),
      "title" => data["title"].to_s,
      "categories" => Array(data["categories"]).map(&:to_s).sort,
      "tags" => Array(data["tags"]).map(&:to_s).sort,
    }]
  end
  File.write(ENV.fetch("COPYDESK_DUMP"), JSON.generate(posts))
  exit!(0)
end
