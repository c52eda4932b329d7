import Foundation
import MediaOpsDomain
import MediaOpsWeb
import Testing

@Suite("Statistics pull reasons")
struct PullReasonsCatalogTests {
    @Test("every pull failure kind and metric failure reason has a sentence in both catalogs", arguments: AppLocale.allCases)
    func catalogKeys(locale: AppLocale) throws {
        let catalogs = try Catalogs.bundled()
        for key in PullReasons.catalogKeys { #expect(catalogs.string(key, locale) != nil, "\(locale.rawValue) lacks \(key)") }
    }
}
