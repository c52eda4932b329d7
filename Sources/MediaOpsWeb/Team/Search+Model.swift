import Foundation
import MediaOpsDomain

extension HomeController {
    struct Hit { var title: String; var detail: String; var href: String }

    struct Group { var kind: String; var hits: [Hit]; var more: String?; var moreHref: String? }

    struct SearchPage { var query: String; var groups: [Group]; var searched: Bool; var summary: String }
}
