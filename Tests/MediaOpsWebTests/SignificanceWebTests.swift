import Foundation
import HTTPTypes
import HummingbirdTesting
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import NIOCore
import Testing

/// The significance calculator: the API's answers equal the engine's, every
/// refused input names its field (all answers are held to the OpenAPI
/// document by `WebHarness.api`), and the page speaks both languages.
@Suite("Analytics room: the significance calculator")
struct SignificanceWebTests {
    static let path = "/api/v1/analytics/significance"
    // Engagement rates of two content types, as in the document's example.
    static let emotional = [0.061, 0.072, 0.058, 0.080, 0.069, 0.075, 0.066, 0.071]
    static let howTo = [0.052, 0.049, 0.060, 0.055, 0.047, 0.058, 0.051, 0.054]

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// A number of the answer, read by the app's own JSON reader (Foundation's
    /// JSONSerialization on Linux may land a digit string one ulp off).
    static func number(_ response: TestResponse, _ key: String) -> Double? {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView)),
              case .number(let value)? = object[key] else { return nil }
        return value
    }

    /// The answer's figures are the engine's, to the last bit.
    static func expectSame(_ response: TestResponse, _ result: SignificanceResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == .ok, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json["test"] as? String == result.test.rawValue, sourceLocation: sourceLocation)
        #expect(number(response, "statistic") == result.statistic, sourceLocation: sourceLocation)
        #expect(number(response, "p_value") == result.pValue, sourceLocation: sourceLocation)
        #expect(number(response, "difference") == result.difference, sourceLocation: sourceLocation)
        #expect(number(response, "ci_low") == result.ciLow, sourceLocation: sourceLocation)
        #expect(number(response, "ci_high") == result.ciHigh, sourceLocation: sourceLocation)
        #expect(response.json["n_a"] as? Int == result.nA && response.json["n_b"] as? Int == result.nB, sourceLocation: sourceLocation)
        if result.test == .welch {
            #expect(number(response, "df") == result.degreesOfFreedom, sourceLocation: sourceLocation)
        } else {
            #expect(response.json["df"] is NSNull, sourceLocation: sourceLocation)
        }
        switch result.verdict {
        case .significant(let direction, _, _):
            #expect(response.json["significant"] as? Bool == true && response.json["direction"] as? String == direction.rawValue, sourceLocation: sourceLocation)
            #expect(response.json["additional_per_group"] is NSNull && response.json["advice"] is NSNull, sourceLocation: sourceLocation)
        case .insufficientData(_, let estimate):
            #expect(response.json["significant"] as? Bool == false && response.json["direction"] is NSNull, sourceLocation: sourceLocation)
            #expect(response.json["additional_per_group"] as? Int == estimate?.additionalPerGroup, sourceLocation: sourceLocation)
            #expect(response.json["required_per_group"] as? Int == estimate?.requiredPerGroup, sourceLocation: sourceLocation)
        }
    }

    @Test("API: each test answers the engine's numbers with a verdict in the member's language", arguments: TestDatabase.available)
    func apiAnswers(db: TestDatabase) async throws {
        try await WebHarness.run(db) { app in
            let welch = try await app.api(.post, Self.path, token: app.ownerToken,
                                          json: Self.json(["test": "welch", "a": Self.emotional, "b": Self.howTo, "a_name": "情感类", "b_name": "干货类"]))
            let welchResult = try Significance.welch(Self.emotional, Self.howTo)
            Self.expectSame(welch, welchResult)
            let verdict = try #require(welch.json["verdict"] as? String)
            #expect(verdict.hasPrefix("情感类的平均值比干货类高 ") && verdict.contains("95% 置信区间") && verdict.contains("n = 8 / 8"), "\(verdict)")
            #expect(verdict.contains(SignificanceReport.pValue(welchResult.pValue)))
            #expect(Self.number(welch, "mean_a") == welchResult.meanA && Self.number(welch, "median_b") == Significance.median(Self.howTo.sorted()))
            let relative = try #require(Self.number(welch, "relative_difference"))
            #expect(abs(relative - welchResult.difference / welchResult.meanB!) < 1e-15)
            #expect(welch.json["proportion_a"] is NSNull)

            let reads = ([1200, 980, 15300, 1430, 1100, 1250, 990, 1310] as [Double], [870, 910, 760, 1020, 880, 640, 930, 1050] as [Double])
            let mannWhitney = try await app.api(.post, Self.path, token: app.ownerToken, json: Self.json(["test": "mann_whitney", "a": reads.0, "b": reads.1]))
            let mannWhitneyResult = try Significance.mannWhitney(reads.0, reads.1)
            Self.expectSame(mannWhitney, mannWhitneyResult)
            #expect((mannWhitney.json["verdict"] as? String)?.hasPrefix("A 组的数值普遍高于 B 组") == true, "\(mannWhitney.text)")
            #expect(Self.number(mannWhitney, "median_a") == mannWhitneyResult.medianA && Self.number(mannWhitney, "mean_a") == 2945)

            let clicks = try await app.api(.post, Self.path, token: app.ownerToken,
                                           json: #"{"test": "two_proportions", "a_successes": 48, "a_trials": 1200, "b_successes": 30, "b_trials": 1250.0}"#)
            let clicksResult = try Significance.twoProportions(aSuccesses: 48, aTrials: 1200, bSuccesses: 30, bTrials: 1250)
            Self.expectSame(clicks, clicksResult)
            #expect(Self.number(clicks, "proportion_a") == 0.04 && clicks.json["mean_a"] is NSNull)

            // Not significant: the sentence says so, and how much more data the difference would need.
            let close = ([10, 12, 11, 13, 12, 11] as [Double], [11, 12, 10, 12, 11, 10] as [Double])
            let unsure = try await app.api(.post, Self.path, token: app.ownerToken, json: Self.json(["test": "welch", "a": close.0, "b": close.1]))
            let unsureResult = try Significance.welch(close.0, close.1)
            Self.expectSame(unsure, unsureResult)
            #expect((unsure.json["verdict"] as? String)?.hasPrefix("数据不足以判断 A 组和 B 组有没有差别（p = ") == true, "\(unsure.text)")
            let more = try #require(unsure.json["additional_per_group"] as? Int)
            #expect(more > 0 && (unsure.json["advice"] as? String) == "按目前的差异，每组还需约 \(more) 个样本。")

            // A member reading English gets English.
            let (member, _) = try await app.member(["analyst"])
            _ = try await app.team.updateMember(id: member.id, .init(locale: "en"), by: app.ownerPrincipal)
            let english = try await app.api(.post, Self.path, token: try await app.token(for: member),
                                            json: Self.json(["test": "two_proportions", "a_successes": 48, "a_trials": 1200, "b_successes": 30, "b_trials": 1250]))
            #expect((english.json["verdict"] as? String)?.hasPrefix("Group A's rate is ") == true, "\(english.text)")
        }
    }

    @Test("API: lowering group A turns the verdict round, the interval with it")
    func lowerDirection() async throws {
        try await WebHarness.run(.sqlite) { app in
            let response = try await app.api(.post, Self.path, token: app.ownerToken, json: Self.json(["test": "welch", "a": Self.howTo, "b": Self.emotional]))
            let result = try Significance.welch(Self.howTo, Self.emotional)
            Self.expectSame(response, result)
            let verdict = try #require(response.json["verdict"] as? String)
            // −22.7 % with the interval −32 % … −13 % reads "低 22.7%（… 13.x%–32.x%…）".
            let relative = result.difference / result.meanB!
            #expect(verdict.hasPrefix("A 组的平均值比 B 组低 \(SignificanceReport.percent(-relative))（95% 置信区间 \(SignificanceReport.percent(-result.ciHigh! / result.meanB!))–"), "\(verdict)")
        }
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        var body: String
        var status: HTTPResponse.Status
        var field: String?
        var code: String
        var testDescription: String { "\(code) \(field ?? "")" }
    }

    static let refusals: [Refusal] = [
        Refusal(body: #"{"test": "welch", "a": [1], "b": [1, 2]}"#, status: .unprocessableContent, field: "a", code: "significance_too_few_values"),
        Refusal(body: #"{"test": "mann_whitney", "a": [1, 2], "b": []}"#, status: .unprocessableContent, field: "b", code: "significance_too_few_values"),
        Refusal(body: #"{"test": "welch", "a": [1, "2"], "b": [1, 2]}"#, status: .unprocessableContent, field: "a", code: "significance_not_a_number"),
        Refusal(body: #"{"test": "welch", "a": [1, 2], "b": [1, true]}"#, status: .unprocessableContent, field: "b", code: "significance_not_a_number"),
        Refusal(body: #"{"test": "welch", "a": [1, null], "b": [1, 2]}"#, status: .unprocessableContent, field: "a", code: "significance_not_a_number"),
        Refusal(body: #"{"test": "welch", "a": "1,2,3", "b": [1, 2]}"#, status: .unprocessableContent, field: "a", code: "significance_not_a_list"),
        Refusal(body: #"{"test": "welch", "a": [1, 2e200], "b": [1, 2]}"#, status: .unprocessableContent, field: "a", code: "significance_out_of_range"),
        Refusal(body: #"{"test": "welch", "a": [3, 3], "b": [3, 3]}"#, status: .unprocessableContent, field: "a", code: "significance_zero_variance"),
        Refusal(body: #"{"test": "mann_whitney", "a": [3, 3], "b": [3, 3, 3]}"#, status: .unprocessableContent, field: "a", code: "significance_all_values_identical"),
        Refusal(body: #"{"test": "two_proportions", "a_successes": 5, "a_trials": 3, "b_successes": 1, "b_trials": 2}"#,
                status: .unprocessableContent, field: "a_successes", code: "significance_successes_above_trials"),
        Refusal(body: #"{"test": "two_proportions", "a_successes": 1, "a_trials": 3, "b_successes": -1, "b_trials": 2}"#,
                status: .unprocessableContent, field: "b_successes", code: "significance_negative_count"),
        Refusal(body: #"{"test": "two_proportions", "a_successes": 1, "a_trials": 0, "b_successes": 1, "b_trials": 2}"#,
                status: .unprocessableContent, field: "a_trials", code: "significance_no_trials"),
        Refusal(body: #"{"test": "two_proportions", "a_successes": 1, "a_trials": 1e300, "b_successes": 1, "b_trials": 2}"#,
                status: .unprocessableContent, field: "a_trials", code: "significance_too_many_trials"),
        Refusal(body: #"{"test": "two_proportions", "a_successes": 1, "a_trials": 2.5, "b_successes": 1, "b_trials": 2}"#,
                status: .unprocessableContent, field: "a_trials", code: "significance_not_a_count"),
        Refusal(body: #"{"test": "two_proportions", "a_successes": "1", "a_trials": 2, "b_successes": 1, "b_trials": 2}"#,
                status: .unprocessableContent, field: "a_successes", code: "significance_not_a_count"),
        Refusal(body: #"{"test": "two_proportions", "a_successes": 1, "a_trials": 2, "b_successes": 1}"#, status: .unprocessableContent, field: "b_trials", code: "required"),
        Refusal(body: #"{"test": "t_test", "a": [1, 2], "b": [1, 3]}"#, status: .unprocessableContent, field: "test", code: "invalid_choice"),
        Refusal(body: #"{"a": [1, 2], "b": [1, 3]}"#, status: .unprocessableContent, field: "test", code: "required"),
        Refusal(body: #"{"test": "welch", "b": [1, 3]}"#, status: .unprocessableContent, field: "a", code: "required"),
        Refusal(body: #"{"test": "welch", "a": [1, 2], "b": [1, 3], "a_trials": 5}"#, status: .unprocessableContent, field: "a_trials", code: "significance_field_not_for_test"),
        Refusal(body: #"{"test": "two_proportions", "a": [1, 2], "a_successes": 1, "a_trials": 2, "b_successes": 1, "b_trials": 2}"#,
                status: .unprocessableContent, field: "a", code: "significance_field_not_for_test"),
        Refusal(body: #"{"test": "welch", "a": [1, 2], "b": [1, 3], "c": 1}"#, status: .unprocessableContent, field: "c", code: "unknown_property"),
        Refusal(body: #"{"test": "welch", "a": null, "b": [1, 3]}"#, status: .unprocessableContent, field: "a", code: "null_not_allowed"),
        Refusal(body: #"{"test": "welch", "a": [1, 2], "b": [1, 3], "a_name": "12345678901234567890123456789012345678901"}"#,
                status: .unprocessableContent, field: "a_name", code: "too_long"),
        Refusal(body: #"{"test": "welch", "a": [1, 2], "b": [1, 3], "b_name": "a\u0000b"}"#, status: .unprocessableContent, field: "b_name", code: "control_characters"),
        Refusal(body: "a=1&b=2", status: .badRequest, field: nil, code: "invalid_json"),
        Refusal(body: "[1, 2]", status: .badRequest, field: nil, code: "json_object_expected"),
        Refusal(body: #"{"test": "welch", "a": [1, 1e400], "b": [1, 2]}"#, status: .badRequest, field: nil, code: "invalid_json"),
    ]

    @Test("API: bad input is a 4xx naming the field, in words", arguments: refusals)
    func refused(_ refusal: Refusal) async throws {
        try await WebHarness.run(.sqlite) { app in
            let response = try await app.api(.post, Self.path, token: app.ownerToken, json: refusal.body)
            #expect(response.status == refusal.status, "\(response.text)")
            #expect(response.errorCode == refusal.code && response.errorField == refusal.field, "\(response.text)")
            let message = try #require(response.errorMessage)
            #expect(!message.contains("significance_") && !message.contains("{"), "\(message)")
        }
    }

    @Test("API: every broken rule at once, sentences in the member's language; 100,001 values and huge bodies are refused, not computed")
    func severalAndLarge() async throws {
        try await WebHarness.run(.sqlite) { app in
            let several = try await app.api(.post, Self.path, token: app.ownerToken, json: #"{"test": "welch", "a": [1], "b": [1, "x"]}"#)
            #expect(several.status == .unprocessableContent)
            let errors = try #require((several.json["error"] as? [String: Any])?["errors"] as? [[String: Any]])
            #expect(errors.compactMap { $0["field"] as? String } == ["a", "b"])
            #expect(errors.first?["message"] as? String == "A 组数据至少需要 2 个数。")
            #expect(errors.last?["message"] as? String == "B 组数据的第 2 项“x”不是数字。")

            let tooMany = "{\"test\": \"mann_whitney\", \"a\": [" + Array(repeating: "1", count: Significance.maximumValues + 1).joined(separator: ",") + "], \"b\": [1, 2]}"
            let refused = try await app.api(.post, Self.path, token: app.ownerToken, json: tooMany)
            #expect(refused.status == .unprocessableContent && refused.errorField == "a" && refused.errorCode == "significance_too_many_values")
            #expect(refused.errorMessage == "A 组数据最多 100,000 个数；超出时请先抽样。")
            let huge = "{\"test\": \"welch\", \"a\": [" + Array(repeating: "1.000000000000001", count: 300_000).joined(separator: ",") + "]}"
            #expect(try await app.api(.post, Self.path, token: app.ownerToken, json: huge).status == .contentTooLarge)

            // The most the engine takes is answered.
            let most = (0..<Significance.maximumValues).map { Double($0 % 97) }
            let answer = try await app.api(.post, Self.path, token: app.ownerToken, json: Self.json(["test": "mann_whitney", "a": most, "b": most.map { $0 + 1 }]))
            #expect(answer.status == .ok && answer.json["n_a"] as? Int == Significance.maximumValues)
        }
    }

    @Test("API: extreme but allowed numbers answer finite JSON, never a 500")
    func extremes() async throws {
        try await WebHarness.run(.sqlite) { app in
            for body in [
                #"{"test": "welch", "a": [0, 5e-324], "b": [1e100, 1e100]}"#,
                #"{"test": "welch", "a": [-1e100, 1e100], "b": [1e100, -1e100, 0]}"#,
                #"{"test": "mann_whitney", "a": [-1e100, 1e100], "b": [5e-324, 0]}"#,
                #"{"test": "welch", "a": [1e-300, 2e-300], "b": [3e-300, 4e-300, 5e-300]}"#,
                #"{"test": "two_proportions", "a_successes": 0, "a_trials": 1000000000000, "b_successes": 1000000000000, "b_trials": 1000000000000}"#,
                #"{"test": "two_proportions", "a_successes": 0, "a_trials": 1, "b_successes": 0, "b_trials": 1}"#,
            ] {
                let response = try await app.api(.post, Self.path, token: app.ownerToken, json: body)
                #expect(response.status.code < 500, "\(body) → \(response.status) \(response.text)")
                #expect(response.status == .ok, "\(body) → \(response.text)")
            }
        }
    }

    @Test("API: a sign-in is needed; a viewer may compute; a browser session needs its CSRF header")
    func access() async throws {
        try await WebHarness.run(.sqlite) { app in
            let body = Self.json(["test": "welch", "a": Self.emotional, "b": Self.howTo])
            let anonymous = try await app.api(.post, Self.path, token: nil, json: body)
            #expect(anonymous.status == .unauthorized && anonymous.errorCode == "unauthorized")
            let (_, viewer) = try await app.member(["viewer"])
            #expect(try await app.api(.post, Self.path, token: viewer, json: body).status == .ok)
            #expect(app.routeTable.records.contains { $0.path == Self.path && $0.access == .permission(.analyticsView) })

            let session = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let forged = try await app.client.execute(uri: Self.path, method: .post, headers: [.cookie: session.cookie, .contentType: "application/json"],
                                                      body: ByteBuffer(string: body))
            #expect(forged.status == .forbidden && forged.errorCode == "csrf_failed")
            let token = try #require(try await session.get("/analytics/significance").formToken)
            let allowed = try await app.client.execute(uri: Self.path, method: .post,
                                                       headers: [.cookie: session.cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: token],
                                                       body: ByteBuffer(string: body))
            #expect(allowed.status == .ok)
        }
    }

    @Test("page: the calculator is in the 数据 navigation and the overview, computes each test and says the verdict, in both languages")
    func page() async throws {
        try await WebHarness.run(.sqlite) { app in
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let empty = try await browser.get("/analytics/significance")
            #expect(empty.status == .ok)
            #expect(empty.text.contains("<h1>显著性检验</h1>") && empty.text.contains("name=\"_csrf\"") && empty.text.contains("每行一个数"))
            #expect(empty.text.contains("aria-current=\"page\">显著性检验</a>"))
            #expect(try await browser.get("/analytics").text.contains("href=\"/analytics/significance\""))

            let lines = { (values: [Double]) in values.map { String($0) }.joined(separator: "\n") }
            let welch = try await browser.post("/analytics/significance", form: [
                ("test", "welch"), ("a_name", "情感类"), ("b_name", "干货类"), ("a", lines(Self.emotional)), ("b", lines(Self.howTo)),
            ], from: "/analytics/significance")
            #expect(welch.status == .ok, "\(welch.text)")
            let result = try Significance.welch(Self.emotional, Self.howTo)
            #expect(welch.text.contains("差异显著"))
            #expect(welch.text.contains("情感类的平均值比干货类高 "), "\(welch.text)")
            #expect(welch.text.contains(HTMLEscape.text(SignificanceReport.pValue(result.pValue))) && welch.text.contains("自由度"))
            #expect(welch.text.contains("<td class=\"num\">0.069</td>"), "group A's mean 0.069 in the table")
            #expect(welch.text.contains(">情感类</th>") && welch.text.contains("相对差异（以干货类为基准）"))

            // Rates pasted as percentages are shown as percentages, their difference in points.
            let percents = try await browser.post("/analytics/significance", form: [
                ("test", "welch"), ("a", Self.emotional.map { String(format: "%.1f%%", $0 * 100) }.joined(separator: "\n")),
                ("b", Self.howTo.map { String(format: "%.1f%%", $0 * 100) }.joined(separator: "\n")),
            ], from: "/analytics/significance")
            #expect(percents.status == .ok)
            #expect(percents.text.contains("<td class=\"num\">6.9%</td>") && percents.text.contains("+1.6 个百分点"), "\(percents.text)")

            // Pasted like a back-office column: thousands separators and percentages.
            let clicks = try await browser.post("/analytics/significance", form: [
                ("test", "two_proportions"), ("a_successes", "48"), ("a_trials", "1,200"), ("b_successes", "30"), ("b_trials", "1 250"),
            ], from: "/analytics/significance")
            #expect(clicks.status == .ok, "\(clicks.text)")
            #expect(clicks.text.contains("A 组的比率比 B 组高 ") && clicks.text.contains("4.0%") && clicks.text.contains("1,250"))

            let unsure = try await browser.post("/analytics/significance", form: [
                ("test", "mann_whitney"), ("a", "1,200\n980\n1,430"), ("b", "1,150\n1,010\n990"),
            ], from: "/analytics/significance")
            #expect(unsure.status == .ok)
            #expect(unsure.text.contains("数据不足以判断 A 组和 B 组有没有差别") && unsure.text.contains("每组还需约"), "\(unsure.text)")
            #expect(unsure.text.contains("<td class=\"num\">1,200</td>"), "median of A read with its thousands separators")

            _ = try await app.team.updateMember(id: app.owner.id, .init(locale: "en"), by: app.ownerPrincipal)
            let english = try await browser.post("/analytics/significance", form: [
                ("test", "welch"), ("a", lines(Self.emotional)), ("b", lines(Self.howTo)),
            ], from: "/analytics/significance")
            #expect(english.text.contains("<h1>Significance calculator</h1>"))
            #expect(english.text.contains("Group A&#39;s mean is ") || english.text.contains("Group A's mean is "), "\(english.text)")
            #expect(english.text.contains("Significant difference") && english.text.contains("Degrees of freedom"))
            #expect(!english.text.contains("analytics.significance") && !english.text.contains("显著"))
        }
    }

    @Test("page: mistakes are shown next to their fields, all at once, with what was typed kept")
    func pageErrors() async throws {
        try await WebHarness.run(.sqlite) { app in
            let browser = try await app.signIn(email: "owner@example.com", password: "owner-password")
            let refused = try await browser.post("/analytics/significance", form: [
                ("test", "welch"), ("a_name", "晚间"), ("a", "12\nabc\n15"), ("b", "7"),
            ], from: "/analytics/significance")
            #expect(refused.status == .unprocessableContent)
            let text = refused.text
            #expect(text.contains("A 组数据的第 2 项“abc”不是数字。") && text.contains("B 组数据至少需要 2 个数。"), "\(text)")
            // Each message sits in its field's block, after the field's box.
            let aBlock = try #require(text.range(of: "<textarea id=\"a\"")).upperBound
            let bBlock = try #require(text.range(of: "<textarea id=\"b\"")).upperBound
            let aError = try #require(text.range(of: "不是数字")).lowerBound
            let bError = try #require(text.range(of: "至少需要 2 个数")).lowerBound
            #expect(aBlock < aError && aError < bBlock && bBlock < bError)
            #expect(text.contains(">12\nabc\n15</textarea>") && text.contains("value=\"晚间\""))
            #expect(!text.contains("significance_") && !text.contains("差异显著"))

            let counts = try await browser.post("/analytics/significance", form: [
                ("test", "two_proportions"), ("a_successes", "50"), ("a_trials", "40"), ("b_successes", "-3"), ("b_trials", "两百"),
            ], from: "/analytics/significance")
            #expect(counts.status == .unprocessableContent)
            #expect(counts.text.contains("A 组成功次数不能多于同组的总次数。") && counts.text.contains("B 组成功次数不能是负数。")
                    && counts.text.contains("B 组总次数必须是 0 或正整数。"), "\(counts.text)")
            #expect(counts.text.contains("value=\"两百\""))

            let flat = try await browser.post("/analytics/significance", form: [("test", "welch"), ("a", "5\n5"), ("b", "5\n5\n5")], from: "/analytics/significance")
            #expect(flat.status == .unprocessableContent)
            #expect(flat.text.contains("<div class=\"alert\" role=\"alert\">两组各自的数都完全相同"), "said above the form, of both groups")

            let forged = try await browser.post("/analytics/significance", form: [("test", "welch"), ("a", "1\n2"), ("b", "3\n4")], csrf: false)
            #expect(forged.status == .forbidden)
        }
    }

    // MARK: Reading and writing numbers

    @Test("pasted numbers: one per line with thousands separators, comma lists, percentages, full-width digits",
          arguments: [
              ("3,593\n1,204\n980", [3593, 1204, 980]),
              ("12,15,18", [12, 15, 18]),
              ("12, 15, 18", [12, 15, 18]),
              ("3,593, 1,204", [3593, 1204]),
              ("1,234.5\t2,000", [1234.5, 2000]),
              ("1,2\n3", [1, 2, 3]),
              ("12.5%\n13%", [0.125, 0.13]),
              ("１２．５\n１３；１４、１５，１６", [12.5, 13, 14, 15, 16]),
              ("\u{2212}5\n+3\n.5\n1e3", [-5, 3, 0.5, 1000]),
              ("\n\n 7 \n\n8\n", [7, 8]),
          ] as [(String, [Double])])
    func pastedValues(text: String, expected: [Double]) throws {
        #expect(try SignificanceQuestion.values(text: text, field: "a") == expected)
    }

    @Test("pasted text that is not a number, or mixes % with plain numbers, is refused with its position")
    func pastedMistakes() {
        for (text, code, position) in [("1\nnan", "significance_not_a_number", "2"), ("inf\n2", "significance_not_a_number", "1"),
                                       ("0x10\n2", "significance_not_a_number", "1"), ("¥12\n3", "significance_not_a_number", "1"),
                                       ("12%\n0.13", "significance_mixed_percent", nil)] as [(String, String, String?)] {
            #expect(throws: ValidationError(field: "a", code: code, params: position.map { ["position": $0, "value": String(text.split(separator: "\n")[Int($0)! - 1])] } ?? [:])) {
                try SignificanceQuestion.values(text: text, field: "a")
            }
        }
    }

    @Test("p-values and figures are written as people read them")
    func formats() async throws {
        #expect(SignificanceReport.pValue(0.0004) == "p < 0.001")
        #expect(SignificanceReport.pValue(0.003) == "p = 0.003")
        #expect(SignificanceReport.pValue(0.0496) == "p = 0.0496", "never rounded up to 0.050 while significant")
        #expect(SignificanceReport.pValue(0.0504) == "p = 0.050")
        #expect(SignificanceReport.pValue(0.2134) == "p = 0.213")
        #expect(SignificanceReport.pValue(1) == "p = 1")
        #expect(SignificanceReport.percent(0.304) == "30.4%" && SignificanceReport.percent(-0.1234) == "-12.3%" && SignificanceReport.percent(0.0001234) == "0.012%")
        let t = Localizer(locale: .zhHans, catalogs: try Catalogs.bundled())
        #expect(SignificanceReport.number(3593.47, t) == "3,593" && SignificanceReport.number(12.3456, t) == "12.35")
        #expect(SignificanceReport.number(0.052345, t) == "0.05235" && SignificanceReport.number(5, t) == "5" && SignificanceReport.number(2e20, t) == "2.000e+20")
    }
}
