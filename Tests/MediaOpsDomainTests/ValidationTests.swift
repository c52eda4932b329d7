import Foundation
import MediaOpsDomain
import Testing

@Suite("Input rules")
struct ValidationTests {
    @Test("e-mail addresses are normalised and checked", arguments: [
        ("Li.Lei@Example.COM ", "li.lei@example.com"),
        ("a@b.cn", "a@b.cn"),
    ])
    func validEmail(input: String, expected: String) throws {
        #expect(try Validate.email(input) == expected)
    }

    @Test("malformed e-mail addresses are refused with the field named", arguments: ["", "plain", "a@b", "a@@b.com", "a b@c.com", "@x.com", "a@.com", "a@b.com."])
    func invalidEmail(input: String) {
        #expect(throws: ValidationError.self) { try Validate.email(input) }
        do { _ = try Validate.email(input) } catch { #expect(error.field == "email") }
    }

    @Test("passwords need eight characters and at most 72 bytes")
    func passwords() throws {
        #expect(throws: ValidationError(field: "password", code: "password_too_short", params: ["min": "8"])) { try Validate.password("short") }
        #expect(try Validate.password("long enough") == "long enough")
        #expect(throws: ValidationError.self) { try Validate.password(String(repeating: "密", count: 30)) }  // 90 bytes
        #expect(throws: ValidationError(field: "password", code: "required")) { try Validate.password(nil) }
    }

    @Test("text length counts characters as people do, Chinese included")
    func textLength() throws {
        let sixty = String(repeating: "新", count: 60)
        #expect(try Validate.requiredText(sixty, field: "name", max: 60) == sixty)
        #expect(throws: ValidationError(field: "name", code: "too_long", params: ["max": "60"])) {
            try Validate.requiredText(sixty + "媒", field: "name", max: 60)
        }
        #expect(throws: ValidationError(field: "name", code: "required")) { try Validate.requiredText("   ", field: "name", max: 10) }
    }

    @Test("time zones must be IANA names")
    func timeZones() throws {
        #expect(try Validate.timeZone("Asia/Shanghai") == "Asia/Shanghai")
        #expect(try Validate.timeZone("Europe/Berlin") == "Europe/Berlin")
        #expect(throws: ValidationError.self) { try Validate.timeZone("Mars/Olympus") }
        #expect(throws: ValidationError.self) { try Validate.timeZone("GMT+8") }
    }

    @Test("locales accept the two catalog languages and browser spellings")
    func locales() throws {
        #expect(try Validate.locale("zh-Hans") == .zhHans)
        #expect(try Validate.locale("zh-CN") == .zhHans)
        #expect(try Validate.locale("en") == .en)
        #expect(throws: ValidationError.self) { try Validate.locale("fr") }
    }
}

@Suite("Roles and permissions")
struct RoleTests {
    @Test("the built-in roles are the owner plus the positions of DOMAIN.md")
    func builtinRoles() {
        #expect(BuiltinRole.allCases.map(\.rawValue) == ["owner", "director", "manager", "content", "copywriter", "community", "campaign",
                                                         "analyst", "designer", "tech", "channel", "pr", "reviewer", "viewer"])
        #expect(BuiltinRole.owner.permissions == Set(Permission.allCases))
        #expect(BuiltinRole.viewer.permissions.allSatisfy { $0.isReadOnly })
        #expect(!BuiltinRole.director.permissions.contains(.rolesManage))
    }

    @Test("nobody grants more than they hold, and only owners make owners")
    func granting() {
        let director = Principal(memberID: "d", name: "D", roleKeys: ["director"], permissions: BuiltinRole.director.permissions)
        #expect(director.mayGrant(Role(builtin: .manager)))
        #expect(!director.mayGrant(Role(builtin: .owner)))
        let manager = Principal(memberID: "m", name: "M", roleKeys: ["manager"], permissions: BuiltinRole.manager.permissions)
        #expect(!manager.mayGrant(Role(builtin: .director)))
        #expect(Principal.commandLine.mayGrant(Role(builtin: .owner)))
    }

    @Test("custom role keys are lowercase and never shadow a built-in role")
    func customKeys() {
        #expect(Role.isValidCustomKey("intern"))
        #expect(Role.isValidCustomKey("kol_manager"))
        #expect(!Role.isValidCustomKey("owner"))
        #expect(!Role.isValidCustomKey("Intern"))
        #expect(!Role.isValidCustomKey("1st"))
        #expect(!Role.isValidCustomKey("实习生"))
    }

    @Test("unknown permission keys are named")
    func parsePermissions() {
        guard case .failure(let error) = Permission.parse(["members.view", "members.fly"]) else { Issue.record("expected failure"); return }
        #expect(error.key == "members.fly")
    }
}

@Suite("Platform table")
struct PlatformTests {
    @Test("every platform of the account matrix is present")
    func platforms() {
        #expect(Set(Platform.allCases.map(\.rawValue)) == ["wechat_oa", "wechat_channels", "weibo", "douyin", "xiaohongshu", "bilibili", "kuaishou",
                                                            "zhihu", "toutiao", "x", "facebook", "instagram", "linkedin", "mastodon", "telegram", "webhook"])
    }

    @Test("assisted-only platforms claim no API publishing and need nothing to publish; secrets only where another API reads them", arguments: Platform.allCases)
    func capabilities(platform: Platform) {
        let caps = platform.capabilities
        #expect(!caps.isEmpty)
        if caps.contains(.assistedOnly) {
            #expect(!caps.contains(.publishByAPI))
            #expect(platform.publishingRequirements.secrets.isEmpty && platform.publishingRequirements.fields.isEmpty)
            #expect(platform.secretFields.isEmpty == !(caps.contains(.metricsByAPI) || caps.contains(.commentsByAPI)))
        } else {
            #expect(caps.contains(.publishByAPI))
        }
    }

    @Test("a WeChat Official Account is a service or subscription account with an AppID")
    func wechat() {
        #expect(Platform.wechatOA.kinds == ["service", "subscription"])
        #expect(Platform.wechatOA.fields.first { $0.key == "app_id" }?.required == true)
        #expect(Platform.wechatOA.secretFields == ["app_secret", "callback_token"])
    }
}

@Suite("Identifiers and sorting")
struct SupportTests {
    @Test("ids are opaque, unique and URL-safe")
    func identifiers() {
        let ids = (0..<1000).map { _ in Identifier.make("mem") }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("mem_") && $0.count == 20 && Identifier.isPlausible($0) })
        #expect(!Identifier.isPlausible("../etc/passwd"))
        #expect(!Identifier.isPlausible(""))
    }

    @Test("Chinese names sort by pinyin, mixed with Latin names")
    func pinyin() {
        let names = ["张伟", "Alice", "李娜", "阿强", "王芳", "bob"]
        #expect(names.sorted { SortKey.make($0) < SortKey.make($1) } == ["阿强", "Alice", "bob", "李娜", "王芳", "张伟"])
    }

    @Test("pages clamp their size and offset")
    func pages() {
        #expect(PageRequest(page: 0, perPage: 1000) == PageRequest(page: 1, perPage: 200))
        #expect(PageRequest(page: 3, perPage: 20).offset == 40)
        #expect(Page<Int>(items: [], total: 41, page: 1, perPage: 20).pageCount == 3)
        #expect(Page<Int>(items: [], total: 0, page: 1, perPage: 20).pageCount == 1)
    }
}

@Suite("Ordered identifiers")
struct OrderedIdentifierTests {
    @Test("ordered ids sort in creation order, even within one millisecond")
    func ordered() {
        let now = Date()
        let ids = (0..<500).map { _ in Identifier.makeOrdered("aud", now: now) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        let later = Identifier.makeOrdered("aud", now: now.addingTimeInterval(1))
        #expect(later > ids.last!)
        #expect(ids.allSatisfy(Identifier.isPlausible))
    }
}

@Suite("Accept-Language")
struct AcceptLanguageTests {
    @Test("the most preferred catalog language wins by q value", arguments: [
        ("en-US,en;q=0.9,zh-CN;q=0.8", AppLocale.en), ("zh-CN,zh;q=0.9,en;q=0.8", .zhHans), ("fr-FR,fr;q=0.9,en;q=0.5,zh;q=0.7", .zhHans),
        ("zh-TW", .zhHans), ("en", .en), ("*;q=0.5, en;q=0.1", .en), ("zh;q=0, en;q=0.2", .en),
    ])
    func picks(header: String, expected: AppLocale) {
        #expect(AppLocale(acceptLanguage: header) == expected)
    }

    @Test("a header naming neither language gives nothing", arguments: ["fr-FR,de;q=0.8", "", ";;;", "en;q=0"])
    func none(header: String) {
        #expect(AppLocale(acceptLanguage: header) == nil)
    }
}

@Suite("Pinyin search")
struct PinyinSearchTests {
    @Test("a name is found by its characters, its pinyin with or without spaces, and its initials")
    func pinyin() {
        for query in ["林晓", "林", "linxiao", "lin xiao", "LinXiao", "lx", "xiao"] { #expect(PinyinMatcher(query).matches("林晓"), "\(query)") }
        for query in ["lz", "linxia0", "王", "xl"] { #expect(!PinyinMatcher(query).matches("林晓"), "\(query)") }
        #expect(PinyinMatcher("wyt").matches("王雨桐"))
        #expect(PinyinMatcher("qinghe").matches("青禾茶饮服务号"))
        #expect(!PinyinMatcher("").matches("林晓"))
    }
}
