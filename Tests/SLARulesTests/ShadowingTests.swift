import Testing
@testable import SLARules

@Suite struct ShadowingTests {
    func warnings(_ policies: String) -> [String] {
        let result = check(baseRules + "\n" + policies)
        return result.diagnostics.filter { $0.code == .unreachablePolicy }.map(\.message)
    }

    func policy(_ name: String, _ when: String?) -> String {
        "policy \(name) { \(when.map { "when \($0)" } ?? "")\n clock c within 1h until acknowledged }\n"
    }

    @Test func catchAllHidesEverythingAfterIt() {
        let found = warnings(policy("all", nil) + policy("later", "kind = repair"))
        #expect(found.count == 1)
        #expect(found.first?.contains("'later'") == true)
    }

    @Test func broaderEarlierPolicyWins() {
        #expect(warnings(policy("any", "kind = complaint") + policy("a", "kind = complaint and grade = A")).count == 1)
        #expect(warnings(policy("ab", "grade in [A, B]") + policy("a", "grade = A and site = north")).count == 1)
        #expect(warnings(policy("notc", "grade != C") + policy("a", "grade = A")).count == 1)
        #expect(warnings(policy("vip", "tags = vip") + policy("vip2", "tags in [vip] and kind = repair")).count == 1)
    }

    @Test func unionOfEarlierPoliciesCounts() {
        #expect(warnings(policy("a", "grade = A") + policy("b", "grade = B") + policy("ab", "grade in [A, B]")).count == 1)
    }

    @Test func narrowerEarlierPolicyDoesNotHide() {
        #expect(warnings(policy("a", "kind = complaint and grade = A") + policy("any", "kind = complaint")).isEmpty)
        #expect(warnings(policy("n", "site = north") + policy("s", "site != north")).isEmpty)
        #expect(warnings(policy("vip", "tags = vip") + policy("rest", "not tags = vip")).isEmpty)
    }

    @Test func theEarliestOfSeveralCoveringPoliciesIsNamed() {
        // Both 'site' and 'grade' cover 'both'; the report names the first, every time.
        let found = warnings(policy("site", "site = north") + policy("grade", "grade = A") + policy("both", "site = north and grade = A"))
        #expect(found == ["policy 'both' can never match: every ticket it covers is taken by 'site' first"])
    }

    @Test func contradictionIsReported() {
        let found = warnings(policy("never", "kind = repair and kind = complaint"))
        #expect(found.first?.contains("contradicts") == true)
    }

    @Test func negationIsPushedThrough() {
        #expect(warnings(policy("x", "not (kind != repair)") + policy("y", "kind = repair and grade = A")).count == 1)
    }
}
