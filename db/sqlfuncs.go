package db

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

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

// MinuteText is the SQL function minute_text(m): the instant m whole minutes after the
// Unix epoch, formatted as stored (TimeFormat). The demo fill stamps its hundreds of
// thousands of generated authorization requests with it; strftime on a Julian day number
// gave the same text at about three times the cost.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("minute_text", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		if args[0] == nil {
			return nil, nil
		}
		m, ok := args[0].(int64)
		if !ok {
			return nil, fmt.Errorf("minute_text: %v is not a whole number of minutes", args[0])
		}
		return time.Unix(m*60, 0).UTC().Format(TimeFormat), nil
	})
}
