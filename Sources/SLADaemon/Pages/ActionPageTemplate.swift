/// The one template every action page is drawn from: plain HTML and inline CSS, system fonts, no scripts,
/// readable on a 360 px phone. Every value is HTML-escaped by Mustache's `{{name}}` (never `{{{name}}}`:
/// the text comes from tickets that residents wrote).
enum ActionPageTemplate {
    static let text = """
    \(PageShell.head(css: css))
    <body>
    {{#drill}}<div class="drill" role="alert">【演练】 这是演练，不是真实事件</div>{{/drill}}
    <main class="{{tone}}">
    <h1>{{heading}}</h1>
    {{#message}}<p class="message">{{message}}</p>{{/message}}
    {{#hasRows}}<dl>
    {{#rows}}<div class="row"><dt>{{label}}</dt><dd>{{value}}</dd></div>
    {{/rows}}</dl>{{/hasRows}}
    {{#button}}<form method="post">
    <input type="hidden" name="check" value="{{formValue}}">
    <button type="submit">{{label}}</button>
    </form>
    <p class="hint">{{hint}}</p>{{/button}}
    </main>
    </body>
    </html>

    """

    static let css = """
    *{box-sizing:border-box}
    body{margin:0;background:#f3f4f6;color:#111827;font-family:\(PageShell.fonts);font-size:17px;line-height:1.5}
    main{max-width:560px;margin:0 auto;padding:20px 16px 32px}
    h1{font-size:22px;margin:0 0 12px}
    .drill{background:#b91c1c;color:#fff;font-size:20px;font-weight:700;text-align:center;padding:12px 4px}
    .message{font-size:18px;padding:12px 14px;border-radius:8px;background:#fff;border-left:6px solid #6b7280;margin:0 0 16px}
    .ok .message{border-color:#15803d;background:#f0fdf4}
    .warn .message{border-color:#b45309;background:#fffbeb}
    .bad .message{border-color:#b91c1c;background:#fef2f2}
    dl{margin:0 0 16px;background:#fff;border-radius:8px;padding:2px 12px}
    .row{display:flex;gap:10px;padding:7px 0;border-bottom:1px solid #e5e7eb}
    .row:last-child{border-bottom:0}
    dt{flex:0 0 4.6em;font-size:15px;color:#6b7280;padding-top:1px}
    dd{flex:1;margin:0;min-width:0;word-break:break-word}
    form{margin:0}
    button{display:block;width:100%;min-height:64px;font-size:24px;font-weight:700;color:#fff;background:#1d4ed8;border:0;border-radius:12px;padding:14px;cursor:pointer;font-family:inherit}
    button:active{background:#1e3a8a}
    .hint{font-size:14px;color:#6b7280;margin:12px 0 0}
    """
}
