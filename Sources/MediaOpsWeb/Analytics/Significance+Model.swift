import MediaOpsDomain

/// The significance calculator: the form (test, group names, two columns of
/// numbers or four counts) and, once computed, the result in words and figures.
struct SignificancePage {
    struct TestOption { var value: String; var label: String; var help: String; var checked: Bool }

    /// What the user typed, shown again as it was (after an error too).
    struct Values {
        var test: String
        var aName: String
        var bName: String
        var a: String
        var b: String
        var aSuccesses: String
        var aTrials: String
        var bSuccesses: String
        var bTrials: String

        static let empty = Values(test: SignificanceTest.welch.rawValue, aName: "", bName: "", a: "", b: "",
                                  aSuccesses: "", aTrials: "", bSuccesses: "", bTrials: "")

        init(test: String, aName: String, bName: String, a: String, b: String, aSuccesses: String, aTrials: String, bSuccesses: String, bTrials: String) {
            self.test = test
            self.aName = aName
            self.bName = bName
            self.a = a
            self.b = b
            self.aSuccesses = aSuccesses
            self.aTrials = aTrials
            self.bSuccesses = bSuccesses
            self.bTrials = bTrials
        }

        init(_ form: FormData) {
            self.init(test: form["test"] ?? SignificanceTest.welch.rawValue, aName: form["a_name"] ?? "", bName: form["b_name"] ?? "",
                      a: form["a"] ?? "", b: form["b"] ?? "", aSuccesses: form["a_successes"] ?? "", aTrials: form["a_trials"] ?? "",
                      bSuccesses: form["b_successes"] ?? "", bTrials: form["b_trials"] ?? "")
        }
    }

    struct GroupRow {
        var name: String
        var n: String
        var mean: String
        var median: String
        var successes: String
        var trials: String
        var rate: String
    }

    struct Fact { var term: String; var value: String }

    struct Result {
        var significant: Bool
        /// "差异显著" / "数据不足以判断", beside a mark: never the colour alone.
        var status: String
        var mark: String
        var verdict: String
        var advice: String?
        var isSamples: Bool
        var groups: [GroupRow]
        var facts: [Fact]
    }

    var tests: [TestOption]
    var values: Values
    /// Field → message, next to each field.
    var errors: [String: String]
    var summary: String?
    var result: Result?
}
