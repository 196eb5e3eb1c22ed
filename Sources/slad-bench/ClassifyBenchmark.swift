import Foundation
import SLAClassify
import SLAFormats

/// The dispatch classifier (issue 17): training on `rows` labelled tickets, the model file both ways, and a
/// route decision by model per ticket (normalising the text, its n-grams, the scores, the ranking). Two
/// histories: generated Chinese repair requests of nine trades (a larger vocabulary than a sample repeated),
/// and the NYC 311 sample repeated to `rows` and read as `slad route train` reads it (CSV through the mapping).
func classifyBenchmark(rows: Int) {
    let clock = ContinuousClock()
    let generated = generatedRepairs(count: rows)
    print("classify: \(rows) generated Chinese repair requests, 9 trades")
    report(generated, clock: clock)

    let sample = URL(fileURLWithPath: "../shared/data/311/nyc311-sample.csv")
    guard let data = try? Data(contentsOf: sample),
          let mappingText = try? String(contentsOf: URL(fileURLWithPath: "rules/mappings/nyc311.map"), encoding: .utf8),
          let mapping = try? TicketMapping.parse(mappingText).get() else {
        print("classify: ../shared/data/311/nyc311-sample.csv or rules/mappings/nyc311.map not found; run from the repository root")
        return
    }
    // The sample's rows repeated, each copy with ids of its own, to `rows` rows.
    let text = String(decoding: data, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
    let header = lines[0], body = lines.dropFirst()
    var csv = String(header) + "\n"
    csv.reserveCapacity(data.count * (rows / body.count + 1))
    var written = 0
    copies: for copy in 0... {
        for line in body {
            if written == rows { break copies }
            csv += "\(copy)-" + line + "\n"
            written += 1
        }
    }
    let bytes = Array(csv.utf8)
    var history = LabelledHistory()
    let read = clock.measure { history = try! LabelledHistory.csv(bytes, mapping: mapping, labelColumn: "Agency") }
    print("classify: the NYC 311 sample repeated to \(rows) rows (\(bytes.count / 1_000_000) MB): read in \(String(format: "%.3f", seconds(read))) s, \(history.examples.count) labelled")
    report(history.examples, clock: clock)
}

private func report(_ examples: [LabelledText], clock: ContinuousClock) {
    var model = TextClassifier.train([])
    let trained = clock.measure { model = TextClassifier.train(examples) }
    print("  train: \(String(format: "%.3f", seconds(trained))) s (\(model.labels.count) labels, \(model.vocabularySize) n-grams)")
    var bytes: [UInt8] = []
    let encoded = clock.measure { bytes = model.encoded() }
    var decoded = model
    let decodeTime = clock.measure { decoded = try! TextClassifier(decoding: bytes) }
    precondition(decoded == model)
    print("  model file: \(bytes.count / 1024) KiB, written in \(String(format: "%.3f", seconds(encoded))) s, read in \(String(format: "%.3f", seconds(decodeTime))) s")
    let texts = examples.prefix(10_000).map(\.text)
    var sink = 0.0
    var slowest = Swift.Duration.zero
    let passes = 5
    let predicted = clock.measure {
        for _ in 0..<passes {
            let batch = clock.measure { for text in texts { sink += decoded.predict(text).confidence } }
            slowest = max(slowest, batch)
        }
    }
    let perTicket = seconds(predicted) * 1_000_000 / Double(passes * texts.count)
    let slowestPerTicket = seconds(slowest) * 1_000_000 / Double(texts.count)
    print("  predict: \(String(format: "%.2f", perTicket)) µs per ticket on average over \(passes * texts.count) (slowest pass \(String(format: "%.2f", slowestPerTicket)) µs)\(sink < 0 ? "!" : "")")
}

private func seconds(_ duration: Swift.Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Repair requests as residents write them: a place, a thing and what is wrong with it, sometimes a plea;
/// one in twenty labelled with another trade (real histories have dispatch mistakes). Deterministic.
func generatedRepairs(count: Int) -> [LabelledText] {
    let trades: [(String, [String], [String])] = [
        ("水电", ["水管", "水龙头", "下水道", "马桶", "插座", "电闸", "热水器", "电表", "灯"], ["漏水", "堵塞", "没电", "跳闸", "滴水", "爆裂", "不亮", "冒烟"]),
        ("土建", ["墙面", "地砖", "天花板", "外墙", "屋顶", "楼梯", "窗台", "门框"], ["开裂", "空鼓", "脱落", "渗水", "破损", "掉皮", "变形"]),
        ("电梯", ["电梯", "轿厢", "电梯门", "电梯按钮", "扶梯"], ["困人", "关不上", "异响", "失灵", "抖动", "停运", "夹人"]),
        ("门禁与智能化", ["门禁", "门禁卡", "人脸识别", "可视对讲", "道闸", "监控", "摄像头"], ["刷不开", "失灵", "黑屏", "没有声音", "不抬杆", "离线"]),
        ("消防", ["消防栓", "烟感", "灭火器", "喷淋头", "应急灯", "消防通道", "报警器"], ["漏水", "一直响", "过期", "损坏", "不亮", "被堵", "误报"]),
        ("绿化", ["草坪", "树木", "花坛", "绿化带", "灌木", "树枝"], ["枯黄", "需要修剪", "杂草", "倒伏", "虫害", "挡住窗户", "没浇水"]),
        ("保洁", ["楼道", "垃圾桶", "地面", "扶手", "地下室", "大堂", "电梯间"], ["很脏", "满了", "有异味", "灰尘多", "没人打扫", "有垃圾"]),
        ("安保", ["陌生人", "外来人员", "快递", "保安", "门窗", "围墙"], ["徘徊", "随意进出", "被偷", "巡逻不到位", "被撬", "有人翻"]),
        ("停车", ["车位", "地库", "停车场", "充电桩", "车辆", "出口"], ["被占用", "乱停", "收费有误", "被划", "堵车", "占道"]),
    ]
    let places = ["", "3栋", "12栋2单元", "地下车库", "B区", "会所", "1号楼802", "小区东门", "5栋1单元301", "花园"]
    let pleas = ["", "", "请尽快处理", "已经两天了", "麻烦派人看看", "急!", "谢谢"]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
    return (0..<count).map { _ in
        let trade = next(trades.count)
        let (name, things, problems) = trades[trade]
        let text = places[next(places.count)] + things[next(things.count)] + problems[next(problems.count)] + pleas[next(pleas.count)]
        let label = next(20) == 0 ? trades[next(trades.count)].0 : name
        return LabelledText(text: text, label: label)
    }
}
