import Foundation
import MediaOpsDomain

extension ComplianceController {
    struct Term { var id: String; var deleteAction: String; var term: String; var severity: String; var blocking: Bool }

    struct TermGroup { var label: String; var terms: [Term]; var hasTerms: Bool }

    struct FindingRow { var term: String; var category: String; var article: String?; var severity: String; var blocking: Bool; var suggestion: String; var position: String }

    struct RoleChoice { var key: String; var name: String; var checked: Bool }

    /// One stage slot of the flow editor; `number` counts from 1 as people do.
    struct StageForm { var index: Int; var number: Int; var name: String; var roles: [RoleChoice]; var nameError: String?; var rolesError: String? }

    struct FlowStage { var name: String; var approvers: String }

    struct FlowRow { var group: String; var stages: [FlowStage] }

    struct CompliancePage {
        var groups: [TermGroup]
        var categories: [SelectOption]
        var canManage: Bool
        var errors: [String: String]
        var summary: String?
        var checkText: String
        var checked: Bool
        var findings: [FindingRow]
        var checkSummary: String
        var platforms: [SelectOption]
        var flowGroups: [SelectOption]
        var stageForms: [StageForm]
        var flows: [FlowRow]
        var ruleCount: Int
    }
}
