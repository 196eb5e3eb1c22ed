/// The 看板's one page (docs/dashboard.md): plain HTML, inline CSS and one small inline script, system fonts
/// with Chinese fallbacks, nothing from another origin. Every value is HTML-escaped by Mustache's `{{name}}`
/// (never `{{{name}}}`): ticket fields come from residents. The page refreshes itself by fetching itself
/// and swapping `<main>` (docs/adr/0009-dashboard-refresh.md).
enum DashboardTemplate {
    static let text = """
    \(PageShell.head(css: css))
    <body data-refresh="{{refresh}}">
    <main id="board">
    {{#view}}
    <header><h1>{{title}}</h1><p class="stamp">更新于 <span id="generated">{{generatedAt}}</span>{{#kpisAt}} · 指标计算于 {{kpisAt}}{{/kpisAt}}<span class="offline"> · 连接中断，显示的是上次的数据</span></p></header>
    <section class="tiles" aria-label="指标">
    {{#tiles}}<article class="tile level-{{level}}" data-kpi="{{kpi}}">
    <div class="tile-head"><h2>{{title}}</h2><span class="badge">{{levelText}}</span></div>
    <div class="value">{{value}}</div>
    {{#reason}}<div class="reason">{{reason}}</div>{{/reason}}
    <div class="lines">{{#target}}<span>{{target}}</span>{{/target}}{{#warn}}<span>{{warn}}</span>{{/warn}}</div>
    {{#trend}}<svg class="trend" viewBox="0 0 120 36" preserveAspectRatio="none" role="img" aria-label="近30天趋势" data-points="{{count}}">{{#targetY}}<line class="target" x1="0" x2="120" y1="{{targetY}}" y2="{{targetY}}"/>{{/targetY}}{{#segments}}<polyline points="{{points}}"/>{{/segments}}{{#lastX}}<circle cx="{{lastX}}" cy="{{lastY}}" r="2.2"/>{{/lastX}}</svg>{{/trend}}
    <div class="period">{{period}} · 样本 {{sample}}</div>
    {{#groupSummary}}<div class="summary">{{groupSummary}}</div>{{/groupSummary}}
    <ul class="groups">{{#groups}}<li class="level-{{level}}"><span>{{name}}</span><b>{{value}}</b></li>{{/groups}}</ul>
    </article>
    {{/tiles}}{{^hasTiles}}<p class="empty">规则中还没有指标（kpi，见 docs/kpi.md）。</p>{{/hasTiles}}
    </section>
    <section class="panels">
    <section class="panel" id="policies"><h2>工单（按策略）<span class="count">未结 {{openTotal}} · 超时 {{overdueTotal}}</span></h2>
    <table><thead><tr><th>策略</th><th>未结</th><th>超时</th></tr></thead><tbody>
    {{#policies}}<tr data-policy="{{policy}}"><td>{{title}}</td><td>{{open}}</td><td{{#hot}} class="hot"{{/hot}}>{{overdue}}</td></tr>
    {{/policies}}</tbody></table></section>
    <section class="panel" id="at-risk"><h2>即将超时（1小时内）<span class="count">共 {{#atRisk}}{{total}}{{/atRisk}} 条</span></h2>
    {{#atRisk}}\(list){{/atRisk}}</section>
    <section class="panel" id="breached"><h2>已超时（按超时长短）<span class="count">共 {{#breached}}{{total}}{{/breached}} 条</span></h2>
    {{#breached}}\(list){{/breached}}</section>
    <section class="panel" id="incidents"><h2>事件与演练<span class="count">进行中 {{incidentsTotal}}</span></h2>
    {{#incidents}}<div class="incident{{#drill}} drill{{/drill}}" data-incident="{{id}}">
    <div class="incident-head">{{#drill}}<span class="tag">演练</span>{{/drill}}<b>{{title}}</b> <span>{{level}}级</span> <span>{{place}}</span></div>
    <div class="progress"><div class="bar" style="width:{{percent}}%"></div></div>
    <div class="steps">步骤 <b class="done">{{confirmed}}/{{total}}</b> 已确认{{#hasOverdue}} · <span class="hot">{{overdueSteps}} 步超时</span>{{/hasOverdue}} · {{opened}} 启动</div>
    </div>
    {{/incidents}}{{^hasIncidents}}<p class="empty">暂无</p>{{/hasIncidents}}</section>
    </section>
    {{/view}}
    </main>
    <script>\(script)</script>
    </body>
    </html>

    """

    /// The at-risk and breached lists share one shape.
    static let list = """
    {{#hasRows}}<ol class="tickets">{{#rows}}<li data-ticket="{{id}}"><span class="left">{{left}}</span><span class="id">{{id}}</span><span class="place">{{place}}</span><span class="what">{{what}}</span>{{#assignee}}<span class="who">{{assignee}}</span>{{/assignee}}<span class="clock">{{clock}} {{deadline}}</span></li>{{/rows}}</ol>{{/hasRows}}{{^hasRows}}<p class="empty">暂无</p>{{/hasRows}}{{#hasMore}}<p class="more">另有 {{more}} 条未显示</p>{{/hasMore}}
    """

    /// Fetches the page again every `data-refresh` seconds and swaps `<main>` in one step: no reload, no
    /// flicker, no second renderer. A failed fetch keeps the old board and marks it (`offline`).
    static let script = """
    (function(){var s=+document.body.dataset.refresh||15;function tick(){fetch(location.href,{cache:"no-store"}).then(function(r){if(!r.ok)throw new Error(r.status);return r.text()}).then(function(t){var n=new DOMParser().parseFromString(t,"text/html").getElementById("board"),o=document.getElementById("board");if(n&&o){o.replaceWith(document.adoptNode(n))}document.body.classList.remove("offline")}).catch(function(){document.body.classList.add("offline")}).finally(function(){setTimeout(tick,s*1000)})}setTimeout(tick,s*1000)})();
    """

    static let css = """
    *{box-sizing:border-box}
    body{margin:0;background:#0b1220;color:#e5e7eb;font-family:\(PageShell.fonts);font-size:16px;line-height:1.4}
    main{padding:16px 20px 24px;max-width:1920px;margin:0 auto}
    header{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px;margin-bottom:12px}
    h1{font-size:26px;margin:0}
    .stamp{margin:0;color:#9ca3af;font-size:14px}
    .offline{display:none;color:#fca5a5}
    body.offline .offline{display:inline}
    .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:12px;margin-bottom:14px}
    .tile{background:#111a2e;border-radius:10px;padding:12px 14px;border-top:5px solid #6b7280;min-width:0}
    .tile-head{display:flex;justify-content:space-between;gap:8px;align-items:flex-start}
    .tile h2{font-size:16px;font-weight:600;margin:0;color:#d1d5db}
    .badge{font-size:13px;padding:1px 8px;border-radius:999px;background:#374151;white-space:nowrap}
    .reason{font-size:13px;color:#9ca3af;margin:0 0 4px}
    .value{font-size:40px;font-weight:700;margin:2px 0;font-variant-numeric:tabular-nums}
    .lines{font-size:13px;color:#9ca3af;display:flex;gap:12px;min-height:18px}
    .trend{display:block;width:100%;height:44px;margin:6px 0 2px}
    .trend polyline{fill:none;stroke:#60a5fa;stroke-width:1.6;vector-effect:non-scaling-stroke}
    .trend circle{fill:#60a5fa}
    .trend .target{stroke:#9ca3af;stroke-dasharray:3 3;stroke-width:1;vector-effect:non-scaling-stroke}
    .period,.summary{font-size:12px;color:#9ca3af}
    .groups{list-style:none;margin:4px 0 0;padding:0;font-size:13px}
    .groups li{display:flex;justify-content:space-between;gap:8px;border-left:3px solid #6b7280;padding-left:6px;margin-top:2px}
    .groups li span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
    .level-ok{border-color:#16a34a}.level-ok .badge{background:#166534}.level-ok .value{color:#4ade80}
    .level-warning{border-color:#d97706}.level-warning .badge{background:#92400e}.level-warning .value{color:#fbbf24}
    .level-breached{border-color:#dc2626}.level-breached .badge{background:#991b1b}.level-breached .value{color:#f87171}
    .level-no-data{border-color:#6b7280}.level-no-data .value{color:#9ca3af}
    .groups li.level-ok{border-color:#16a34a}.groups li.level-warning{border-color:#d97706}.groups li.level-breached{border-color:#dc2626}
    .panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px}
    .panel{background:#111a2e;border-radius:10px;padding:10px 14px;min-width:0;max-height:560px;overflow:hidden}
    .panel h2{font-size:17px;margin:0 0 8px;display:flex;justify-content:space-between;gap:8px}
    .count{font-size:13px;color:#9ca3af;font-weight:400;white-space:nowrap}
    table{width:100%;border-collapse:collapse;font-size:14px}
    th{text-align:left;color:#9ca3af;font-weight:400}
    td,th{padding:3px 4px;border-bottom:1px solid #1f2937}
    td+td,th+th{text-align:right;font-variant-numeric:tabular-nums}
    .hot{color:#f87171;font-weight:700}
    .tickets{list-style:none;margin:0;padding:0;font-size:14px}
    .tickets li{display:flex;flex-wrap:wrap;gap:2px 10px;padding:5px 0;border-bottom:1px solid #1f2937}
    .left{font-weight:700;min-width:5.5em}
    #at-risk .left{color:#fbbf24}
    #breached .left{color:#f87171}
    .id{color:#9ca3af;font-size:12px;align-self:center}
    .clock{color:#9ca3af}
    .empty,.more{color:#9ca3af;font-size:14px;margin:6px 0}
    .incident{padding:6px 0;border-bottom:1px solid #1f2937;font-size:14px}
    .tag{background:#7c3aed;color:#fff;border-radius:4px;padding:0 6px;margin-right:6px;font-size:12px}
    .progress{height:8px;background:#1f2937;border-radius:4px;margin:6px 0 3px;overflow:hidden}
    .bar{height:100%;background:#16a34a}
    .steps{color:#9ca3af;font-size:13px}
    .done{color:#e5e7eb}
    @media (max-width:600px){main{padding:12px 10px}h1{font-size:21px}.tiles{grid-template-columns:1fr 1fr;gap:8px}.tile{padding:10px}.value{font-size:28px}.lines{flex-direction:column;gap:0}.panel{max-height:none}}
    """
}
