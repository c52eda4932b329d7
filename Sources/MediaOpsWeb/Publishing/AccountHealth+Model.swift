import Foundation
import MediaOpsDomain

extension AccountHealthController {
    struct Risk { var title: String; var link: String; var due: String }

    struct Row {
        var id: String; var accountHref: String; var action: String; var name: String; var platform: String; var status: String; var statusKey: String; var expires: String
        var expiresValue: String; var risks: [Risk]; var riskCount: Int; var hasRisks: Bool; var canManage: Bool; var attention: Bool
    }

    struct Month { var label: String; var rows: [Row] }

    struct HealthPage { var warnings: [Row]; var rows: [Row]; var calendar: [Month]; var hasWarnings: Bool; var formError: String? }
}
