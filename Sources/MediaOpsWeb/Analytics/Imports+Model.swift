/// The imports page: the upload form and the history of imports.
struct ImportsPage {
    struct Row { var href: String; var filename: String; var account: String; var layout: String; var rows: String; var state: String; var stateKey: String; var when: String; var by: String }

    var rows: [Row]
    var pagination: Pagination
    var canImport: Bool
    var accounts: [SelectOption]
    var formats: [SelectOption]
    /// A sample file of each known layout, to try the import with.
    var samples: [Sample]
    struct Sample { var label: String; var href: String }
    /// Field → message for the upload form.
    var errors: [String: String]
    var summary: String?
}
