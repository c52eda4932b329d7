import Foundation
import HTTPTypes
import MediaOpsDomain
import MediaOpsStore
import MediaOpsTestSupport
@testable import MediaOpsWeb
import Mustache
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

    /// The checker every API test's answers pass through must itself catch what it promises to.
    @Test("the response contract catches wrong types, missing fields, undocumented statuses and echoed secrets")
    func contractCatchesViolations() throws {
        let document = #"""
        {"paths": {"/api/v1/things/{id}": {"get": {"responses": {
            "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
            "404": {"$ref": "#/components/responses/NotFound"}}}}},
         "components": {"responses": {"NotFound": {"content": {"application/json": {"schema": {"type": "object", "required": ["error"]}}}}},
           "schemas": {"Thing": {"type": "object", "required": ["id", "count"], "additionalProperties": false, "properties": {
             "id": {"type": "string"}, "count": {"type": "integer", "minimum": 0}, "state": {"type": ["string", "null"], "enum": ["a", "b", null]},
             "secret": {"type": "string", "writeOnly": true}, "at": {"type": "string", "format": "date-time"}}}}}}
        """#
        let contract = try OpenAPIContract(data: Data(document.utf8))
        func check(_ status: Int, _ body: String) -> [String] {
            contract.violations(method: "GET", path: "/api/v1/things/t1?x=1", status: status, contentType: "application/json", body: Data(body.utf8))
        }
        #expect(check(200, #"{"id": "t1", "count": 3, "state": null, "at": "2026-12-02T10:00:00.123Z"}"#).isEmpty)
        #expect(check(404, #"{"error": {}}"#).isEmpty)
        #expect(check(200, #"{"id": 1, "count": 3}"#).count == 1)
        #expect(check(200, #"{"id": "t1"}"#).first?.contains("count") == true)
        #expect(check(200, #"{"id": "t1", "count": 1.5}"#).count == 1)
        #expect(check(200, #"{"id": "t1", "count": -1}"#).count == 1)
        #expect(check(200, #"{"id": "t1", "count": true}"#).count == 1)
        #expect(check(200, #"{"id": "t1", "count": 0, "state": "c"}"#).count == 1)
        #expect(check(200, #"{"id": "t1", "count": 0, "extra": 1}"#).first?.contains("undocumented property extra") == true)
        #expect(check(200, #"{"id": "t1", "count": 0, "secret": "s"}"#).first?.contains("write-only") == true)
        #expect(check(200, #"{"id": "t1", "count": 0, "at": "yesterday"}"#).count == 1)
        #expect(check(500, #"{"error": {}}"#).first?.contains("not documented") == true)
        #expect(contract.violations(method: "GET", path: "/api/v1/other", status: 500, contentType: nil, body: Data()).isEmpty)
    }

    @Test("the rooms' OpenAPI files merge into one document, and a path or schema named twice stops the start")
    func openAPIRoomsMerge() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ body: String) throws { try Data(body.utf8).write(to: directory.appendingPathComponent(name)) }
        try write("base.json", #"{"openapi": "3.1.0", "components": {"schemas": {"Error": {"type": "object"}}}}"#)
        try write("alpha.json", #"{"tags": [{"name": "A"}], "paths": {"/a": {}}, "components": {"schemas": {"A": {}}}}"#)
        try write("beta.json", #"{"tags": [{"name": "B"}], "paths": {"/b": {}}, "components": {"schemas": {"B": {}}}}"#)
        let merged = try JSONSerialization.jsonObject(with: OpenAPIDocument.merged(directory: directory).data) as? [String: Any] ?? [:]
        #expect(Set((merged["paths"] as? [String: Any] ?? [:]).keys) == ["/a", "/b"])
        #expect(Set(((merged["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]).keys) == ["Error", "A", "B"])
        #expect((merged["tags"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["A", "B"])
        try write("gamma.json", #"{"paths": {"/a": {}}}"#)
        #expect(throws: OpenAPIDocument.Conflict.self) { try OpenAPIDocument.merged(directory: directory) }
        try write("gamma.json", #"{"components": {"schemas": {"Error": {}}}}"#)
        #expect(throws: OpenAPIDocument.Conflict.self) { try OpenAPIDocument.merged(directory: directory) }
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

    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/MediaOpsWeb/Resources")

    /// JSONSerialization keeps one of two equal keys in an object without a word,
    /// so a pasted duplicate would silently replace a message.
    @Test("no catalog file repeats a key within an object")
    func noDuplicateKeysWithinAFile() throws {
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.resources.appendingPathComponent("locales").path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 2 * AppLocale.allCases.count)
        for file in files {
            let data = try Data(contentsOf: Self.resources.appendingPathComponent("locales").appendingPathComponent(file))
            let duplicates = try JSONKeyScanner.duplicateKeys(in: data)
            #expect(duplicates.isEmpty, "\(file) repeats keys: \(duplicates)")
        }
        #expect(try JSONKeyScanner.duplicateKeys(in: Data(#"{"a": {"b": "x", "b": "y"}, "c": "z"}"#.utf8)) == ["a.b"])
    }

    @Test("a key defined by two rooms' catalogs stops the start")
    func duplicateKeyAcrossRooms() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalogs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        for room in ["content", "team"] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent(room), withIntermediateDirectories: true)
            for locale in AppLocale.allCases {
                let body = room == "team" ? #"{"nav": {"home": "首页"}, "team": {"x": "y"}}"# : #"{"nav": {"home": "主页"}}"#
                try Data(body.utf8).write(to: directory.appendingPathComponent("\(room)/\(locale.rawValue).json"))
            }
        }
        #expect(throws: Catalogs.DuplicateKey.self) { try Catalogs(directory: directory) }
        // Sections may be shared between rooms as long as the keys differ.
        try Data(#"{"nav": {"content": "内容"}}"#.utf8).write(to: directory.appendingPathComponent("content/zh-Hans.json"))
        try Data(#"{"nav": {"content": "Content"}}"#.utf8).write(to: directory.appendingPathComponent("content/en.json"))
        let catalogs = try Catalogs(directory: directory)
        #expect(catalogs.string("nav.home", .zhHans) == "首页")
        #expect(catalogs.string("nav.content", .zhHans) == "内容")
        #expect((catalogs.tree(.en)["nav"] as? [String: Any])?["content"] as? String == "Content")
    }

    @Test("every template file is a named page or partial in its room's folder, and every name has its file")
    func templateNames() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/MediaOpsWeb/Resources/templates")
        let onDisk = Set(try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(9)) })
        let named = Set(PageTemplate.allCases.map(\.rawValue) + PartialTemplate.allCases.map(\.rawValue))
        #expect(onDisk == named)
        let rooms: Set<Substring> = ["shared", "team", "content", "publishing", "analytics", "planning", "work", "knowledge", "kpis"]
        for name in onDisk where name != PartialTemplate.layout.rawValue { #expect(name.split(separator: "/").count == 2 && rooms.contains(name.split(separator: "/")[0]), "\(name) is outside a room folder") }
    }

    /// Mustache indents everything a standalone partial or block renders by the
    /// whitespace before its tag. To do so it counts the characters of every
    /// piece it writes and looks at the last one written (over a quarter of the
    /// 500-account overview's rendering: the layout's `{{$content}}` was
    /// indented, so every page paid it), and it writes spaces into the text
    /// after line breaks. Templates write those tags at the start of the line.
    @Test("no partial or block tag stands indented on its own line")
    func noIndentedStandaloneTags() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/MediaOpsWeb/Resources/templates")
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
        let pattern = try NSRegularExpression(pattern: #"^[ \t]+\{\{[>$<][^}]*\}\}(\{\{/[^}]*\}\})?[ \t]*$"#, options: .anchorsMatchLines)
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                Issue.record("\(file): \(text[Range(match.range, in: text)!]) is indented")
            }
        }
    }

    @Test("a page template missing from the folder stops the start instead of rendering an empty page")
    func missingTemplateStopsStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mediaops-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("shared"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "<p>{{page.heading}}</p>".write(to: directory.appendingPathComponent("shared/error.mustache"), atomically: true, encoding: .utf8)
        let library = try await MustacheLibrary(directory: directory.path)
        let error = #expect(throws: ViewRenderer.MissingTemplate.self) { try ViewRenderer.checkTemplates(in: library) }
        #expect(error?.names.contains("team/login") == true && error?.names.contains("layout") == true)
        #expect(error?.names.contains("shared/error") == false)
        // The bundled folder has every one.
        _ = try await ViewRenderer.bundled()
    }

    @Test("every key the templates use exists")
    func templateKeys() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/MediaOpsWeb/Resources/templates")
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mustache") }
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

    @Test("every analytics code a user can meet has its sentence: metrics, layouts, file, row and mapping problems, import states, notes", arguments: AppLocale.allCases)
    func analyticsKeys(locale: AppLocale) {
        var keys: [String] = MetricKey.allCases.map { "metric.\($0.rawValue)" }
        keys += ExportLayout.allCases.map { "analytics.layout.\($0.rawValue)" } + ["analytics.layout.custom"]
        keys += ImportService.Problem.allCases.map { "error.\($0.rawValue)" }
        keys += ExportFileReader.Problem.allCases.map { "error.\($0.rawValue)" }
        keys += XLSXReader.Problem.allCases.map { "error.\($0.rawValue)" }
        keys += ImportRowProblem.allCases.map { "error.\($0.rawValue)" }
        keys += ImportMappingProblem.allCases.map { "error.\($0.rawValue)" }
        keys += ImportRowNote.Kind.allCases.map { "analytics.note.\($0.rawValue)" }
        keys += MetricImport.State.allCases.map { "analytics.import_state.\($0.rawValue)" }
        keys += MetricSource.allCases.map { "analytics.source.\($0.rawValue)" }
        keys += DerivedMetric.allCases.flatMap { ["analytics.derived.\($0.rawValue)", "analytics.derived.\($0.rawValue)_help"] }
        keys += ReportingPeriod.Kind.allCases.map { "analytics.period.\($0.rawValue)" }
        keys += AnalyticsPost.Origin.allCases.map { "analytics.origin.\($0.rawValue)" }
        keys += ["csv_utf8", "csv_utf8_bom", "csv_gb18030", "xlsx"].map { "analytics.file_format.\($0)" }
        keys += ["import_column_role_twice", "import_format_unknown", "invalid_month", "date_before_start", "range_too_long"].map { "error.\($0)" }
        keys += ["import_done", "import_failed"].map { "notifications.kind_\($0)" }
        for key in keys { #expect(Self.catalogs.string(key, locale) != nil, "\(locale.rawValue) lacks \(key)") }
    }

    @Test("every significance code, test and verdict has its words", arguments: AppLocale.allCases)
    func significanceKeys(locale: AppLocale) {
        var keys = SignificanceInputError.Problem.allCases.map { "error.\($0.rawValue)" }
        keys += SignificanceQuestion.Problem.allCases.map { "error.\($0.rawValue)" }
        keys += (SignificanceQuestion.sampleFields + SignificanceQuestion.countFields + ["test", "a_name", "b_name"]).map { "field.\($0)" }
        for test in SignificanceTest.allCases {
            keys += ["analytics.significance.test.\(test.rawValue)", "analytics.significance.test.\(test.rawValue)_help",
                     "analytics.significance.fact.difference_\(test.rawValue)"]
            keys += SignificanceDirection.allCases.map { "analytics.significance.verdict.\(test.rawValue)_\($0.rawValue)" }
        }
        keys += ["analytics.significance.verdict.insufficient", "nav.analytics_significance"]
        for key in keys { #expect(Self.catalogs.string(key, locale) != nil, "\(locale.rawValue) lacks \(key)") }
    }

    @Test("request bodies follow the document: its properties, which may be null, and whether others are refused")
    func requestBodyRules() throws {
        let rules = try RequestRules(document: try OpenAPIDocument.bundled().data)
        let create = try #require(rules.body(method: "POST", path: "/api/v1/content"))
        #expect(create.closed)
        #expect(create.properties["title"] == false && create.properties["cover_asset_id"] == true)
        #expect(RequestRules.check(["title": .string("春茶"), "cover_asset_id": .null], against: create) == nil)
        #expect(RequestRules.check(["title": .null], against: create) == ValidationError(field: "title", code: "null_not_allowed"))
        #expect(RequestRules.check(["title": .string("春茶"), "titel": .string("春茶")], against: create)
                == ValidationError(field: "titel", code: "unknown_property"))
        // A path parameter's route is found by its pattern, as the router registers it.
        #expect(rules.body(method: "PATCH", path: "/api/v1/content/{id}") != nil)
        #expect(rules.body(method: "GET", path: "/api/v1/content") == nil)
    }
}

enum ViewRendererProbe {
    static func catalogs() throws -> Catalogs { try Catalogs.bundled() }
}

/// Finds keys repeated inside one JSON object (which JSONSerialization would
/// silently collapse). Only as much JSON as the catalogs use: objects, arrays,
/// strings with escapes, and bare literals.
enum JSONKeyScanner {
    struct Malformed: Error {}

    static func duplicateKeys(in data: Data) throws -> [String] {
        var scanner = Scanner(bytes: Array(data))
        var duplicates: [String] = []
        try scanner.value(path: "", duplicates: &duplicates)
        return duplicates
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipSpace() { while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 } }

        mutating func expect(_ byte: UInt8) throws {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { throw Malformed() }
            index += 1
        }

        mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard index < bytes.count else { throw Malformed() }
            let raw = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return raw
        }

        mutating func value(path: String, duplicates: inout [String]) throws {
            skipSpace()
            guard index < bytes.count else { throw Malformed() }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var seen: Set<String> = []
                skipSpace()
                if bytes[index] == UInt8(ascii: "}") { index += 1; return }
                while true {
                    let key = try string()
                    let keyPath = path.isEmpty ? key : "\(path).\(key)"
                    if !seen.insert(key).inserted { duplicates.append(keyPath) }
                    try expect(UInt8(ascii: ":"))
                    try value(path: keyPath, duplicates: &duplicates)
                    skipSpace()
                    guard index < bytes.count else { throw Malformed() }
                    index += 1
                    if bytes[index - 1] == UInt8(ascii: "}") { return }
                    guard bytes[index - 1] == UInt8(ascii: ",") else { throw Malformed() }
                }
            case UInt8(ascii: "["):
                index += 1
                skipSpace()
                if bytes[index] == UInt8(ascii: "]") { index += 1; return }
                while true {
                    try value(path: path, duplicates: &duplicates)
                    skipSpace()
                    guard index < bytes.count else { throw Malformed() }
                    index += 1
                    if bytes[index - 1] == UInt8(ascii: "]") { return }
                    guard bytes[index - 1] == UInt8(ascii: ",") else { throw Malformed() }
                }
            case UInt8(ascii: "\""):
                _ = try string()
            default:
                while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index]) { index += 1 }
            }
        }
    }
}
