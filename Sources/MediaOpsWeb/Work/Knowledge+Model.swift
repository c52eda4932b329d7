import Foundation
import MediaOpsDomain
import MediaOpsStore

/// The knowledge base's list: search, filters in the URL, sortable, paginated.
struct KnowledgeListPage {
    struct Row {
        var title: String
        var href: String
        var kind: String
        var kindKey: String
        var excerpt: String
        var tags: [Tag]
        var platforms: [String]
        var author: String
        var updated: String
        var linkAction: String?
        var linked: Bool
        var hasTags: Bool
    }
    struct Tag { var name: String; var href: String; var active: Bool; var count: String }
    struct Tab { var label: String; var href: String; var active: Bool; var count: String }
    struct Linking {
        var kind: KnowledgeLinkKind
        var targetID: String
        var title: String
        var href: String
        var linkedIDs: Set<String>
    }
    struct LinkingModel {
        var title: String; var href: String; var kindKey: String; var targetID: String
        var sentence: String; var backLabel: String; var linkLabel: String; var linkedLabel: String
    }

    var query: String
    var searched: Bool
    var filtered: Bool
    var resultSummary: String?
    var tabs: [Tab]
    var tags: [Tag]
    var hasTags: Bool
    var platforms: [SelectOption]
    var authors: [SelectOption]
    var sorts: [SelectOption]
    var kind: String
    var hasKind: Bool
    var tag: String
    var hasTag: Bool
    var rows: [Row]
    var hasEntries: Bool
    var emptySearch: String?
    var clearHref: String
    var pagination: Pagination
    var canWrite: Bool
    var newHref: String
    var linking: LinkingModel?

    /// The address with some parameters left out (a tab or tag link starts again at page 1).
    static func address(_ address: PageAddress, without keys: Set<String>) -> PageAddress {
        let kept = address.query.values.filter { !keys.contains($0.key) }.sorted { $0.key < $1.key }
            .flatMap { key, values in values.map { (key, $0) } }
        return PageAddress(path: address.path, query: kept.map { Pagination.escape($0.0) + "=" + Pagination.escape($0.1) }.joined(separator: "&"))
    }

    static func without(_ keys: Set<String>, _ address: PageAddress) -> String { Pagination.url(Self.address(address, without: keys), [:]) }

    static func make(page: Page<KnowledgeEntry>, filter: KnowledgeFilter, sort: KnowledgeSort, descending: Bool, members: [Member],
                     tags: [(tag: String, count: Int)], counts: [KnowledgeKind: Int], address: PageAddress, canWrite: Bool, linking: Linking?,
                     t: Localizer) -> KnowledgeListPage {
        let names = Dictionary(members.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let total = counts.values.reduce(0, +)
        let tabs = [Tab(label: t.t("knowledge.all_kinds"), href: Self.without(["kind", "page"], address), active: filter.kind == nil, count: t.grouped(total))]
            + KnowledgeKind.allCases.map { kind in
                Tab(label: t.t("knowledge.kind_plural_\(kind.rawValue)"), href: Pagination.url(Self.address(address, without: ["page"]), ["kind": kind.rawValue]),
                    active: filter.kind == kind, count: t.grouped(counts[kind] ?? 0))
            }
        let tagLinks = tags.map { tag in
            let active = filter.tag?.lowercased() == tag.tag.lowercased()
            let base = Self.address(address, without: ["page", "tag"])
            return Tag(name: tag.tag, href: active ? Pagination.url(base, [:]) : Pagination.url(base, ["tag": tag.tag]), active: active, count: String(tag.count))
        }
        let rows = page.items.map { entry in
            let flat = entry.body.replacingOccurrences(of: "\n", with: " ")
            return Row(title: entry.title, href: KnowledgePath.entry(.value(entry.id)).path, kind: t.t("knowledge.kind_\(entry.kind.rawValue)"),
                       kindKey: entry.kind.rawValue, excerpt: flat.count > 90 ? String(flat.prefix(90)) + "…" : flat,
                       tags: entry.tags.map { Tag(name: $0, href: Pagination.url(Self.address(address, without: ["page"]), ["tag": $0]), active: false, count: "") },
                       platforms: entry.platforms.map(t.platformShortName), author: entry.authorID.flatMap { names[$0] } ?? t.t("knowledge.author_unknown"),
                       updated: t.dateTime(entry.updatedAt),
                       linkAction: linking.map { _ in KnowledgePath.entryLinks(.value(entry.id)).path }, linked: linking?.linkedIDs.contains(entry.id) ?? false,
                       hasTags: !entry.tags.isEmpty)
        }
        let query = filter.query ?? ""
        let filtered = filter.kind != nil || filter.tag != nil || filter.platform != nil || filter.authorID != nil
        var emptySearch: String?
        if page.items.isEmpty, !query.isEmpty { emptySearch = t.t("knowledge.empty_search", ["query": query]) }
        else if page.items.isEmpty, filtered { emptySearch = t.t("knowledge.empty_filtered") }
        return KnowledgeListPage(
            query: query, searched: !query.isEmpty, filtered: filtered,
            resultSummary: query.isEmpty ? nil : t.t("knowledge.search_summary", ["count": Pagination.total(page), "query": query]),
            tabs: tabs, tags: tagLinks, hasTags: !tagLinks.isEmpty,
            platforms: [SelectOption(value: "", label: t.t("knowledge.all_platforms"), selected: filter.platform == nil)]
                + KnowledgeEntry.platformChoices.map { SelectOption(value: $0.rawValue, label: t.platformShortName($0), selected: filter.platform == $0) },
            authors: [SelectOption(value: "", label: t.t("knowledge.all_authors"), selected: filter.authorID == nil)]
                + members.map { SelectOption(value: $0.id, label: $0.name, selected: filter.authorID == $0.id) },
            sorts: [("updated", "knowledge.sort_updated"), ("created", "knowledge.sort_created"), ("title", "knowledge.sort_title")].map {
                SelectOption(value: $0.0, label: t.t($0.1), selected: sort.rawValue == $0.0)
            },
            kind: filter.kind?.rawValue ?? "", hasKind: filter.kind != nil, tag: filter.tag ?? "", hasTag: !(filter.tag ?? "").isEmpty,
            rows: rows, hasEntries: total > 0, emptySearch: emptySearch,
            clearHref: linking.map { KnowledgePath.list.query(["link_kind": $0.kind.rawValue, "link_id": $0.targetID]) } ?? KnowledgePath.list.path,
            pagination: Pagination(address, page: page, localizer: t), canWrite: canWrite, newHref: KnowledgePath.new.path,
            linking: linking.map { linking in
                let kind = linking.kind.rawValue
                return LinkingModel(title: linking.title, href: linking.href, kindKey: kind, targetID: linking.targetID,
                                    sentence: t.t("knowledge.linking_banner_\(kind)", ["title": linking.title]), backLabel: t.t("knowledge.linking_back_\(kind)"),
                                    linkLabel: t.t("knowledge.link_this_\(kind)"), linkedLabel: t.t("knowledge.already_linked_\(kind)"))
            })
    }
}

/// One entry: its text, where it applies, its links, and what can be done with it.
struct KnowledgeEntryPage {
    struct LinkRow { var kind: String; var title: String; var href: String?; var kindKey: String; var targetID: String; var unlinkAction: String }

    var id: String
    var kind: String
    var kindKey: String
    var isTemplate: Bool
    var paragraphs: String
    var tags: [KnowledgeListPage.Tag]
    var platforms: [String]
    var author: String
    var created: String
    var updated: String
    var versionLine: String
    var versionsHref: String
    var links: [LinkRow]
    var hasLinks: Bool
    var canWrite: Bool
    var canUseTemplate: Bool
    var editHref: String
    var deleteAction: String
    var deleteConfirm: String
    var useTemplateAction: String

    static func make(entry: KnowledgeEntry, links: [ResolvedKnowledgeLink], names: [String: String], canWrite: Bool, canUseTemplate: Bool,
                     t: Localizer) -> KnowledgeEntryPage {
        KnowledgeEntryPage(
            id: entry.id, kind: t.t("knowledge.kind_\(entry.kind.rawValue)"), kindKey: entry.kind.rawValue, isTemplate: entry.kind == .template,
            // Escaped first, then split into paragraphs: nothing typed is markup.
            paragraphs: HTMLSanitizer.paragraphs(fromPlainText: entry.body),
            tags: entry.tags.map { KnowledgeListPage.Tag(name: $0, href: KnowledgePath.list.query(["tag": $0]), active: false, count: "") },
            platforms: entry.platforms.map(t.platformShortName),
            author: entry.authorID.flatMap { names[$0] } ?? t.t("knowledge.author_unknown"),
            created: t.dateTime(entry.createdAt), updated: t.dateTime(entry.updatedAt),
            versionLine: t.t("knowledge.version_line", ["version": String(entry.version)]),
            versionsHref: KnowledgePath.entryVersions(.value(entry.id)).path,
            links: links.map { resolved in
                LinkRow(kind: t.t("knowledge.link_kind_\(resolved.link.kind.rawValue)"), title: resolved.target?.title ?? t.t("knowledge.link_gone"),
                        href: resolved.target == nil ? nil : KnowledgeLinks.href(resolved.link.kind, resolved.link.targetID),
                        kindKey: resolved.link.kind.rawValue, targetID: resolved.link.targetID, unlinkAction: KnowledgePath.entryUnlink(.value(entry.id)).path)
            },
            hasLinks: !links.isEmpty, canWrite: canWrite, canUseTemplate: canUseTemplate,
            editHref: KnowledgePath.entryEdit(.value(entry.id)).path, deleteAction: KnowledgePath.entryDelete(.value(entry.id)).path,
            deleteConfirm: t.t("knowledge.delete_confirm", ["title": entry.title]),
            useTemplateAction: KnowledgePath.entryUseTemplate(.value(entry.id)).path)
    }
}

/// Who changed what, version by version, with one version's text shown.
struct KnowledgeVersionsPage {
    struct Row { var version: String; var href: String; var editor: String; var at: String; var changes: String; var current: Bool }
    struct Shown { var heading: String; var title: String; var paragraphs: String; var tags: String }

    var entryHref: String
    var entryTitle: String
    var rows: [Row]
    var shown: Shown?

    static func make(entry: KnowledgeEntry, revisions: [KnowledgeRevision], shown: KnowledgeRevision?, t: Localizer) -> KnowledgeVersionsPage {
        let path = KnowledgePath.entryVersions(.value(entry.id))
        return KnowledgeVersionsPage(
            entryHref: KnowledgePath.entry(.value(entry.id)).path, entryTitle: entry.title,
            rows: revisions.map { revision in
                Row(version: t.t("knowledge.version_number", ["version": String(revision.version)]), href: path.query(["version": String(revision.version)]),
                    editor: revision.editorName, at: t.dateTime(revision.savedAt),
                    changes: revision.changedFields.isEmpty ? t.t("knowledge.version_first")
                        : t.list(revision.changedFields.map { t.t("knowledge.field_\($0)") }),
                    current: revision.version == shown?.version)
            },
            shown: shown.map { revision in
                Shown(heading: t.t("knowledge.version_shown", ["version": String(revision.version), "who": revision.editorName, "at": t.dateTime(revision.savedAt)]),
                      title: revision.title, paragraphs: HTMLSanitizer.paragraphs(fromPlainText: revision.body),
                      tags: revision.tags.map { "#" + $0 }.joined(separator: " "))
            })
    }
}

struct KnowledgeFormPage {
    var action: String
    var backHref: String
    var isNew: Bool
    var values: [String: String]
    var kinds: [SelectOption]
    var kindHelp: String
    var platforms: [SelectOption]
    var tagSuggestions: [String]
    var hasTagSuggestions: Bool
    var errors: [String: String]
    var summary: String?
}

/// The "相关经验" section a content item's, a goal's or a task's page shows.
struct KnowledgeRelatedSection {
    struct Row { var title: String; var href: String; var kind: String; var unlinkAction: String }
    var hasEntries: Bool
    var entries: [Row]
    var kindKey: String
    var targetID: String
    var emptyText: String
    var canWrite: Bool
    var findHref: String
}
