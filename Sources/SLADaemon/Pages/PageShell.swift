/// The head every page slad draws itself shares — the 看板 and the action pages: Chinese, UTF-8, sized for
/// a phone, kept out of search engines, the page's own inline style sheet and nothing from elsewhere. The
/// title is Mustache's `{{title}}` (escaped); each template goes on with its own `<body>`.
enum PageShell {
    /// System fonts first, then the common Chinese ones: nothing is downloaded.
    static let fonts = #"system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif"#

    static func head(css: String) -> String {
        """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex, nofollow">
        <title>{{title}}</title>
        <style>
        \(css)
        </style>
        </head>
        """
    }
}
