import SLAClassify
import Testing

@Suite struct TextNormalizerTests {
    @Test func spacesOfEveryKindAreDropped() {
        #expect(TextNormalizer.normalize("水 管 爆 裂") == "水管爆裂")
        #expect(TextNormalizer.normalize("水管\u{3000}爆裂") == "水管爆裂")
        #expect(TextNormalizer.normalize("水管\u{A0}爆裂\n") == "水管爆裂")
    }

    @Test func fullWidthASCIIBecomesHalfWidthAndLowerCase() {
        #expect(TextNormalizer.normalize("ＡＢＣ１２３！") == "abc123!")
        #expect(TextNormalizer.normalize("Water LEAK") == "waterleak")
    }

    @Test func chineseAndOtherTextIsKept() {
        #expect(TextNormalizer.normalize("厨房水管漏水，请尽快。") == "厨房水管漏水,请尽快。")  // the full-width comma folds too
        #expect(TextNormalizer.normalize("") == "")
    }
}
