import Foundation
import HTTPTypes
import MediaOpsDomain
import MediaOpsTestSupport
import MediaOpsWeb
import Testing

@Suite("API document and locale catalogs")
struct DocumentTests {
    /// The served routes and the OpenAPI document describe the same operations.
    @Test("every /api/v1 route is documented and every documented operation is served")
    func openAPIMatchesRoutes() async throws {
        try await WebHarness.run(.sqlite) { app in
            let document = try JSONSerialization.jsonObject(with: try OpenAPIDocument.bundled().data) as? [String: Any] ?? [:]
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let methods: Set<String> = ["get", "post", "put", "patch", "delete"]
            let documented = Set(paths.flatMap { path, operations in
                operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
            })
            let served = Set(app.routeTable.records
                .filter { $0.path.hasPrefix("/api/") || $0.path == "/health" || $0.path == "/openapi.json" }
                .map { "\($0.method.rawValue) \($0.path)" })
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
            #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
            // Each operation has an id, and operations that need a sign-in say so.
            for (path, operations) in paths {
                for (method, value) in operations where methods.contains(method) {
                    let operation = try #require(value as? [String: Any])
                    #expect(operation["operationId"] is String, "\(method) \(path)")
                    #expect(operation["responses"] is [String: Any], "\(method) \(path)")
                }
            }
        }
    }

    static let catalogs = try! ViewRendererProbe.catalogs()

    @Test("both catalogs hold exactly the same keys, none empty")
    func sameKeys() {
        let zh = Self.catalogs.keys(.zhHans)
        let en = Self.catalogs.keys(.en)
        #expect(zh.subtracting(en).isEmpty, "missing in en: \(zh.subtracting(en).sorted())")
        #expect(en.subtracting(zh).isEmpty, "missing in zh-Hans: \(en.subtracting(zh).sorted())")
        for key in zh { #expect(Self.catalogs.string(key, .zhHans)?.isEmpty == false, "\(key)") }
    }

    @Test("every key the templates use exists")
    func templateKeys() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/MediaOpsWeb/Resources/templates")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        #expect(files.count > 10)
        let pattern = try NSRegularExpression(pattern: #"\{\{[#^/]?t\.([a-z0-9_.\-]+)\}\}"#)
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                #expect(Self.catalogs.string(key, .zhHans) != nil, "\(file) uses missing key \(key)")
            }
        }
    }

    /// Keys the code builds from enums: a new enum case without its catalog entry fails here.
    @Test("every key built from a role, platform, state or permission exists", arguments: AppLocale.allCases)
    func dynamicKeys(locale: AppLocale) {
        var keys: [String] = []
        for role in BuiltinRole.allCases { keys += ["role.\(role.rawValue).name", "role.\(role.rawValue).description"] }
        for platform in Platform.allCases {
            keys += ["platform.\(platform.rawValue).name", "platform.\(platform.rawValue).short"]
            keys += platform.fields.map { "account.help_\(platform.rawValue)_\($0.key)" }
            keys += platform.fields.map { "field.fields_\($0.key)" }
            keys += platform.secretFields.map { "field.credentials_\($0)" }
            keys += platform.kinds.map { "account.kind_\($0)" }
        }
        keys += PlatformCapabilities.named.map { "capability.\($0.1)" }
        keys += AccountState.allCases.map { "account.state_\($0.rawValue)" }
        keys += Permission.allCases.map { "permission.\($0.rawValue.replacingOccurrences(of: ".", with: "_"))" }
        keys += AuditAction.allCases.map { "audit.action_\($0.rawValue)" }
        keys += AuditEntity.allCases.map { "audit.entity_\($0.rawValue)" }
        keys += AppLocale.allCases.map { "locale.\($0.rawValue)" }
        keys += ["required", "too_long", "invalid_email", "password_too_short", "password_too_long", "invalid_time_zone", "invalid_choice",
                 "invalid_type", "invalid_url", "unknown_role", "role_not_grantable", "email_taken", "last_owner", "cannot_deactivate_self",
                 "account_taken", "group_taken", "role_taken", "role_in_use", "unknown_field", "unknown_member", "not_applicable",
                 "platform_immutable", "permissions_required", "unknown_permission", "invalid_role_key", "builtin_role_readonly",
                 "roles_required", "wrong_password", "password_mismatch", "already_set_up", "setup_required", "invalid_credentials",
                 "too_many_attempts", "csrf_failed", "forbidden", "unauthorized", "invalid_token", "not_found", "invalid_json",
                 "json_object_expected", "too_large", "internal", "generic", "invalid_date", "invalid_number", "out_of_range",
                 "method_not_allowed", "bad_request"].map { "error.\($0)" }
        for key in keys { #expect(Self.catalogs.string(key, locale) != nil, "\(locale.rawValue) lacks \(key)") }
    }
}

enum ViewRendererProbe {
    static func catalogs() throws -> Catalogs { try Catalogs.bundled() }
}
