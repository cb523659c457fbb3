// Package demo fills an empty database with Portico's deterministic demo data set
// (SPEC §12). The same anchor date and member count always give the same data.
package demo

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
	"sort"
	"time"

	"portico/db"
	"portico/models"
)

// Demo sign-in facts shared by every demo account (SPEC §12).
const (
	Password   = "Portico-Demo-2026"
	TOTPSecret = "JBSWY3DPEHPK3PXP"
)

// Options steers a fill.
type Options struct {
	// Members is how many members to create (at least the four named ones).
	Members int
	// Anchor is "today" for the data: claims span the 18 months before it.
	Anchor time.Time
	// PlanDomain is the plan's e-mail domain (default plan.example).
	PlanDomain string
	// Keyring encrypts message bodies for the demo threads.
	Keyring *models.Keyring
	// BaseURL is the portal's public URL, used in the links of the seeded mail
	// (default http://127.0.0.1:8080, the default --addr).
	BaseURL string
}

// filler adds one area's demo data inside the fill's transaction.
type filler struct {
	order int
	name  string
	fn    func(ctx context.Context, tx *sql.Tx, f *Fill) error
}

var fillers []filler

// register adds an area's filler; areas register from init() in their own files and
// run in order after the core data.
func register(order int, name string, fn func(ctx context.Context, tx *sql.Tx, f *Fill) error) {
	fillers = append(fillers, filler{order, name, fn})
	sort.SliceStable(fillers, func(i, j int) bool { return fillers[i].order < fillers[j].order })
}

// Fill is the state of one fill, shared by the area fillers: the IDs the core created.
type Fill struct {
	Opts Options
	// DB is the database being filled, with its clock stopped at the anchor, so that every
	// store a filler calls stamps the demo's "today" and never the wall clock.
	DB         *db.DB
	Rand       *Rand
	Today      string
	AccountIDs map[string]int64 // "sunrise", "valley", ...
	TINIDs     map[string]int64 // by nine-digit TIN
	UserIDs    map[string]int64 // by e-mail
	MemberPKs  map[string]int64 // the named demo members, by member ID
	PlanIDs    map[string]int64 // by plan code
	// ClinicTINs, PPGTINs, HospitalTINs and AncillaryTINs list generated TIN row IDs by type.
	ClinicTINs, PPGTINs, HospitalTINs, AncillaryTINs []int64
	MemberCount                                      int
	Timings                                          []Timing
}

// Timing is how long one step of the fill took: wall clock, and the CPU time (user +
// system) of the whole process meanwhile, so that a step's use of both cores shows
// even on a machine busy with other work.
type Timing struct {
	Step     string
	Duration time.Duration
	CPU      time.Duration
}

// String prints a step as "name wall (CPU cpu)".
func (t Timing) String() string {
	return fmt.Sprintf("%s %s (CPU %s)", t.Step, t.Duration.Round(time.Millisecond), t.CPU.Round(time.Millisecond))
}

// timer starts timing a step.
type timer struct {
	wall time.Time
	cpu  time.Duration
}

func startTimer() timer { return timer{time.Now(), processCPU()} }

// stop returns the step's timing.
func (t timer) stop(step string) Timing {
	return Timing{step, time.Since(t.wall), processCPU() - t.cpu}
}

// IsEmpty reports whether the database has no accounts yet (a fresh file).
func IsEmpty(ctx context.Context, d *db.DB) (bool, error) {
	var n int
	if err := d.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM provider_accounts").Scan(&n); err != nil {
		return false, fmt.Errorf("demo is empty: %w", err)
	}
	return n == 0, nil
}

// Run fills d, which must be migrated and empty, in one transaction.
func Run(ctx context.Context, d *db.DB, opts Options) (*Fill, error) {
	if opts.Members < 4 {
		opts.Members = 5000
	}
	if opts.Anchor.IsZero() {
		opts.Anchor = d.Now()
	}
	if opts.BaseURL == "" {
		opts.BaseURL = "http://127.0.0.1:8080"
	}
	if opts.PlanDomain == "" {
		opts.PlanDomain = "plan.example"
	}
	atAnchor := *d
	atAnchor.Clock = db.FixedClock(opts.Anchor)
	f := &Fill{Opts: opts, DB: &atAnchor, Rand: NewRand(20261122), Today: opts.Anchor.Format(models.DateFormat),
		AccountIDs: map[string]int64{}, TINIDs: map[string]int64{}, UserIDs: map[string]int64{},
		MemberPKs: map[string]int64{}, PlanIDs: map[string]int64{}}
	steps := append([]filler{{0, "core", fillCore}}, fillers...)
	// Memory of the fill (SPEC §13: under 500 MB at 1,000,000 members). The big tables
	// are filled in row-ID order with their indexes dropped, so the inserts only append
	// and a moderate page cache does; the indexes are then built by sorting, and the
	// sorter spills to temporary files instead of RAM (temp_store FILE) for the fill
	// only. Both are put back afterwards so the server stays small.
	//
	// CPU of the fill (SPEC §13: under 60 s at 1,000,000 members on two cores): the
	// index builds' sorts get a helper thread (PRAGMA threads), foreign keys are not
	// checked row by row (the generator makes every reference before it is used, and
	// TestDemoForeignKeys checks the result), and Go's collector runs less often: the
	// fill makes millions of short-lived rows but keeps only a few MB of them.
	if _, err := d.W.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d; PRAGMA temp_store = FILE; PRAGMA threads = 2; PRAGMA foreign_keys = OFF", fillCacheKiB)); err != nil {
		return nil, fmt.Errorf("demo fill settings: %w", err)
	}
	defer d.W.ExecContext(ctx, "PRAGMA cache_size = -2000; PRAGMA temp_store = MEMORY; PRAGMA threads = 0; PRAGMA foreign_keys = ON; PRAGMA shrink_memory")
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	var commit timer
	err := d.BulkLoad(ctx, func() error {
		return d.Tx(ctx, func(tx *sql.Tx) error {
			for _, s := range steps {
				t := startTimer()
				if err := s.fn(ctx, tx, f); err != nil {
					return fmt.Errorf("demo %s: %w", s.name, err)
				}
				f.Timings = append(f.Timings, t.stop(s.name))
			}
			// Seeded mail (notices, the partner's envelope link) is for reading in the
			// outbox page only: it is held, never delivered, even with --smtp-url set.
			err := models.HoldQueuedTx(ctx, tx)
			commit = startTimer()
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	// The commit writes the last pages to the file (see db.BulkLoad).
	f.Timings = append(f.Timings, commit.stop("commit"))
	// The planner's statistics, from about a thousand entries of each index: a full
	// ANALYZE read every entry of every index at 1,000,000 members, 4.7 s of the fill
	// on one thread, and with the limit SQLite keeps no STAT4 samples. The plans of
	// every page's statements are the same with both but for three join orders and the
	// drug list walking the name index (PERFORMANCE.md); most of the pages' statements
	// bind indexed values through (SELECT ?), where the samples cannot be used anyway.
	t := startTimer()
	if _, err := d.W.ExecContext(ctx, "PRAGMA analysis_limit = 1000; ANALYZE"); err != nil {
		return nil, fmt.Errorf("demo analyze: %w", err)
	}
	f.Timings = append(f.Timings, t.stop("analyze"))
	return f, nil
}

// fillCacheKiB is the page cache of the fill's connection, in KiB.
const fillCacheKiB = 64 << 10

// Rand is a small deterministic generator (SplitMix64), so the data set is the same on
// every machine and Go version.
type Rand struct{ state uint64 }

// NewRand seeds a generator.
func NewRand(seed uint64) *Rand { return &Rand{state: seed} }

// Uint64 returns the next value.
func (r *Rand) Uint64() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Intn returns a value in [0, n).
func (r *Rand) Intn(n int) int { return int(r.Uint64() % uint64(n)) }

// Pick returns a random element of s.
func Pick[T any](r *Rand, s []T) T { return s[r.Intn(len(s))] }

// Chance is true with probability pct percent.
func (r *Rand) Chance(pct int) bool { return r.Intn(100) < pct }
