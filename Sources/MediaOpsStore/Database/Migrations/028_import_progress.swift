import Foundation
import MediaOpsDomain
import SQLKit

extension Migrations {
    /// How many rows a running import has written, kept outside its
    /// transaction on PostgreSQL so a page served by another process can show
    /// a progress bar (see `ImportProgress`).
    static let m028_import_progress = Migration(version: 28, name: "import progress", statements: [
        "ALTER TABLE metric_imports ADD COLUMN rows_written INTEGER",
    ])
}
