import Foundation
@testable import SLADaemon
import SLATestSupport
import Testing

/// The 看板 in real headless Chromium, on a wall screen (1920×1080) and on a phone (390×844): every tile
/// with its value and colour class, a trend line with points, the lists in order, the drill's progress,
/// no sideways scrolling; then the KPI snapshot changes and the open page shows it without reloading;
/// nothing was ever requested from another origin. Screenshots in the test's folder
/// (`SLAD_KEEP_BROWSER_OUTPUT=DIR` keeps them).
@Suite(.disabled(if: Chromium.skipped, "SLAD_SKIP_BROWSER=1"))
struct DashboardBrowserTests {
    struct Tile: Decodable, Sendable {
        let kpi: String, classes: String, value: String, lines: Int, points: Int, border: String
        /// The worst groups' left borders.
        let groups: [String]
    }

    struct Board: Decodable, Sendable {
        let tiles: [Tile]
        let atRisk: [String], breached: [String], incidents: [String]
        let fits: Bool
    }

    static let read = """
    (() => ({tiles: [...document.querySelectorAll('.tile')].map(t => ({kpi: t.dataset.kpi, classes: t.className,
      value: t.querySelector('.value').textContent, lines: t.querySelectorAll('svg.trend polyline').length,
      points: [...t.querySelectorAll('svg.trend polyline')].reduce((n, p) => n + p.points.numberOfItems, 0),
      border: getComputedStyle(t).borderTopColor,
      groups: [...t.querySelectorAll('.groups li')].map(g => getComputedStyle(g).borderLeftColor)})),
      atRisk: [...document.querySelectorAll('#at-risk li')].map(l => l.dataset.ticket),
      breached: [...document.querySelectorAll('#breached li')].map(l => l.dataset.ticket),
      incidents: [...document.querySelectorAll('.incident')].map(i => i.innerText),
      fits: document.documentElement.scrollWidth <= window.innerWidth}))()
    """

    /// What the browser saw, collected on the browser's thread and checked back in the test.
    struct Seen: Sendable {
        var page: PhoneBrowser.Page
        var board: Board
        var fonts: [PhoneBrowser.Font]
        var size: (width: Int, height: Int)?
        var followed: String
        var stayed: String
        var requests: [String]
    }

    @Test(arguments: [(1920, 1080, false), (390, 844, true)])
    func theBoardShowsEveryTileAndFollowsTheSnapshot(width: Int, height: Int, mobile: Bool) async throws {
        guard Chromium.required() != nil else { return }
        let snapshot = SnapshotBox(SampleSnapshots.first())
        let box = ResultBox<Seen>()
        try await Chromium.withFolder("slad-board") { folder in
            try await DashboardServer.with(snapshot: snapshot) { server in
                let seen = try await Chromium.onThread {
                    try Self.look(at: server.base, snapshot: snapshot, folder: folder, width: width, height: height, mobile: mobile)
                }
                box.set(seen)
            }
        }
        let seen = try #require(box.get())
        #expect(seen.page.status == 200 && seen.page.title == "物业服务看板")
        let board = seen.board
        #expect(board.fits, "the board scrolls sideways at \(width) px")
        #expect(board.tiles.map(\.kpi) == SampleSnapshots.expected.map(\.kpi))
        var borders: [String: String] = [:]
        for (tile, expected) in zip(board.tiles, SampleSnapshots.expected) {
            #expect(tile.classes == "tile level-\(expected.level)", "\(tile.kpi)")
            #expect(tile.value == expected.value, "\(tile.kpi)")
            if expected.level == "no-data" {
                #expect(tile.points == 0, "\(tile.kpi) draws a line without data")
            } else {
                #expect(tile.lines >= 1 && tile.points >= 20, "\(tile.kpi): \(tile.lines) lines, \(tile.points) points")
            }
            if let before = borders[expected.level] { #expect(before == tile.border, "one colour per level") }
            borders[expected.level] = tile.border
        }
        #expect(Set(borders.values).count == 4, "ok, warning, breached and no-data must look different: \(borders)")
        #expect(board.tiles.first?.lines == 2, "the gap in repair-24h's trend splits its line")
        // repair-24h's three worst sites are breached: their marks are the breached tiles' red.
        #expect(board.tiles.first?.groups == Array(repeating: borders["breached"] ?? "?", count: 3))
        #expect(board.atRisk == ["R-1", "R-2"] && board.breached == ["R-3", "R-4"])
        #expect(board.incidents.count == 1 && board.incidents.first?.contains("演练") == true && board.incidents.first?.contains("1/3") == true)
        #expect(seen.fonts.contains { $0.glyphs > 0 }, "no font drew the title: \(seen.fonts)")
        let scale = mobile ? 2 : 1
        #expect(seen.size?.width == width * scale && seen.size?.height == height * scale, "screenshot \(String(describing: seen.size))")
        // The snapshot changed; the page followed within a refresh or two, without reloading.
        #expect(seen.followed == "tile level-ok")
        #expect(seen.stayed == "yes", "the page reloaded")
        #expect(seen.requests.count >= 2, "no refresh request: \(seen.requests)")
        let base = seen.page.url.components(separatedBy: "/dashboard").first ?? "?"
        #expect(seen.requests.allSatisfy { $0.hasPrefix(base + "/") }, "a request left slad: \(seen.requests)")
    }

    static func look(at base: String, snapshot: SnapshotBox, folder: URL, width: Int, height: Int, mobile: Bool) throws -> Seen {
        let browser = try PhoneBrowser(width: width, height: height, mobile: mobile)
        defer { browser.close() }
        let page = try browser.open(base + "/dashboard?refresh=2")
        let board = try browser.evaluate(read, as: Board.self)
        let fonts = try browser.fonts("h1")
        let png = folder.appendingPathComponent("dashboard-\(width)x\(height).png")
        try browser.shot(png)
        let size = (try? Data(contentsOf: png)).flatMap(Chromium.pngSize)
        _ = try browser.evaluate("window.stayed = 'yes'", as: String.self)
        snapshot.value = SampleSnapshots.first(repair24h: 0.955, level: .ok)
        let followed = try browser.evaluate("""
            new Promise(done => { const start = Date.now(); (function look() {
              const tile = document.querySelector('[data-kpi="repair-24h"]');
              if (tile && tile.querySelector('.value').textContent === '95.5%') done(tile.className);
              else if (Date.now() - start > 15000) done('timeout');
              else setTimeout(look, 100); })(); })
            """, as: String.self)
        let stayed = try browser.evaluate("String(window.stayed)", as: String.self)
        try browser.shot(folder.appendingPathComponent("dashboard-\(width)x\(height)-after.png"))
        return Seen(page: page, board: board, fonts: fonts, size: size, followed: followed, stayed: stayed, requests: try browser.requests())
    }
}
