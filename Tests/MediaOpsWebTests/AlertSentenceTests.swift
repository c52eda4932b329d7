import Foundation
import MediaOpsDomain
@testable import MediaOpsWeb
import Testing

@Suite("Alert sentences")
struct AlertSentenceTests {
    @Test("every kind and comparison, and every preset, reads as a whole sentence in both languages: numbers in, no placeholder or code left",
          arguments: AppLocale.allCases)
    func everyKind(_ locale: AppLocale) throws {
        let t = Localizer(locale: locale, catalogs: try Catalogs.bundled())
        var evidence = AlertEvidence()
        evidence.observed = -612; evidence.previous = 40; evidence.change = -0.25; evidence.bound = -500; evidence.baseline = 30
        evidence.baselineCount = 28; evidence.lower = -20; evidence.upper = 80; evidence.percentile = 25; evidence.percentileValue = 900
        for kind in AlertKind.allCases {
            for comparison in kind.comparisons {
                let metric: AlertMetric? = kind == .funnelDropOff ? nil : (kind == .postUnderperforming ? .consumption : .stored(.followersNet))
                let rule = AlertRule(id: "alr_1", name: "", kind: kind, metric: metric, comparison: comparison, bound: kind == .relativeToBaseline ? 0.2 : -500)
                let occasion: AlertOccasion = kind == .postUnderperforming ? .post(id: "pst_1", at: Date()) : .day(LocalDate(year: 2026, month: 11, day: 30))
                let alert = Alert(id: "alt_1", ruleID: "alr_1", subjectKey: "account:acc_1", accountID: "acc_1", occasion: occasion, evidence: evidence, firedAt: Date())
                let sentence = AlertSentence.sentence(alert, rule: rule, t: t)
                #expect(!sentence.contains("{") && !sentence.contains("sentence_") && !sentence.contains("followers_net"), "\(kind) \(comparison): \(sentence)")
                #expect(sentence.contains(kind == .funnelDropOff ? "-61,200" : "-612") || sentence.contains("-61200"), "\(kind) \(comparison): \(sentence)")
                #expect(!AlertSentence.ruleName(rule, t: t).contains("kind_"))
                #expect(sentence.first.map { !$0.isLowercase } ?? false, "a sentence starts with a capital: \(sentence)")
            }
        }
        for preset in AlertPreset.allCases {
            let name = AlertSentence.ruleName(preset.rule(id: "alr_p"), t: t)
            #expect(!name.contains("{") && !name.contains("preset_") && !name.contains("-5") && !name.contains("-0"), "\(preset): \(name)")
        }
        #expect(AlertSentence.ruleName(AlertPreset.followersDrop.rule(id: "alr_p"), t: t) == (locale == .zhHans ? "粉丝单日净减超过 500" : "Followers fall by more than 500 in a day"))
    }
}
