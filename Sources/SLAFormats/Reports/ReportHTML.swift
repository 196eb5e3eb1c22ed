/// The page around a report: one self-contained HTML document with inline CSS, no scripts and no
/// external URLs (a Content-Security-Policy forbids both), laid out to print on A4.
enum ReportHTML {
    static func page(title: String, body: String, extraCSS: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(ReportText.html(title))</title>
        <style>
        \(css)\(extraCSS.isEmpty ? "" : "\n" + extraCSS)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static let css = """
    @page { size: A4; margin: 14mm 12mm; }
    * { box-sizing: border-box; }
    body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif;
      color: #263238; margin: 0 auto; padding: 16px; max-width: 1000px; font-size: 13px; line-height: 1.45;
      -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    h1 { font-size: 21px; margin: 0 0 8px; }
    h2 { font-size: 16px; margin: 22px 0 8px; border-bottom: 2px solid #cfd8dc; padding-bottom: 3px; }
    .banner { display: inline-block; padding: 4px 12px; border-radius: 4px; font-weight: bold; font-size: 15px; margin-bottom: 10px; }
    .banner.drill { background: #fff3e0; color: #e65100; border: 2px solid #ef6c00; }
    .banner.real { background: #ffebee; color: #b71c1c; border: 2px solid #c62828; }
    table { border-collapse: collapse; width: 100%; margin: 6px 0; }
    th, td { border: 1px solid #cfd8dc; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
    th { background: #eceff1; font-weight: 600; }
    table.fields th { width: 22%; }
    tr { break-inside: avoid; page-break-inside: avoid; }
    td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
    td code { white-space: nowrap; overflow-wrap: normal; }
    td.num .note { white-space: normal; display: inline-block; max-width: 9em; text-align: right; }
    .result { font-weight: bold; white-space: nowrap; }
    .result.pass { color: #2e7d32; } .result.fail { color: #c62828; } .result.open { color: #ef8f00; }
    .late { color: #c62828; font-weight: bold; }
    .overall { font-size: 16px; padding: 8px 12px; border-radius: 4px; display: inline-block; }
    .overall.pass { background: #e8f5e9; color: #1b5e20; } .overall.fail { background: #ffebee; color: #b71c1c; }
    .overall.open { background: #fff8e1; color: #e65100; }
    .chart { break-inside: avoid; page-break-inside: avoid; }
    .note { color: #546e7a; font-size: 12px; }
    footer { margin-top: 24px; color: #78909c; font-size: 11px; }
    @media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } }
    """

    /// `<td>` cells from already escaped HTML.
    static func row(_ cells: [String], header: Bool = false) -> String {
        let tag = header ? "th" : "td"
        return "<tr>" + cells.map { $0.hasPrefix("<td") || $0.hasPrefix("<th") ? $0 : "<\(tag)>\($0)</\(tag)>" }.joined() + "</tr>"
    }
}
