package db

import (
	"database/sql/driver"
	"strings"

	"modernc.org/sqlite"
)

// SensitiveCategory derives a sensitive-service category from space-separated
// diagnosis and procedure codes. The models package sets it to models.DeriveSensitive
// (the shipped code-range table) when it loads; until then it derives nothing.
var SensitiveCategory = func(diagnoses, procedures []string) string { return "" }

// The SQL function sensitive_category(diagnoses, procedures) used by the triggers of
// migration 0020, registered for every connection the driver opens.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("sensitive_category", 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		text := func(v driver.Value) string {
			switch s := v.(type) {
			case string:
				return s
			case []byte:
				return string(s)
			}
			return ""
		}
		return SensitiveCategory(strings.Fields(text(args[0])), strings.Fields(text(args[1]))), nil
	})
}
