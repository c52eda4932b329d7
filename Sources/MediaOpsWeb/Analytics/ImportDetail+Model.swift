/// One import: what the file was read as, its row errors and notes, the first
/// rows, the column mapping form for an unknown file, and the commit button.
struct ImportDetailPage {
    struct Column { var index: String; var name: String; var header: String; var sample: String; var options: [SelectOption] }
    struct RowError { var row: String; var message: String }

    var filename: String
    var accountName: String
    var accountHref: String
    var format: String
    var sheet: String?
    var headerRow: String
    var recognised: String?
    var remembered: Bool
    var kind: String?
    var rowCount: String?
    var mappingProblem: String?
    var state: String
    var stateKey: String
    var isPreviewed: Bool
    /// Queued or running: the page refreshes itself until it is done.
    var isWorking: Bool
    /// Rows written so far while it runs; the bar is indeterminate without it (queued).
    var progress: Progress?
    struct Progress { var written: String; var total: String; var label: String }
    var isCommitted: Bool
    var failure: String?
    var result: String?
    var earlier: String?
    var errors: [RowError]
    var errorTitle: String
    var hasErrors: Bool
    var notes: [String]
    var headers: [String]
    var sampleRows: [[String]]
    var columns: [Column]
    var showMapping: Bool
    var canCommit: Bool
    var commitLabel: String
    var columnsAction: String
    var commitAction: String
    var formErrors: [String]
}
