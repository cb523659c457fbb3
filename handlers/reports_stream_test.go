package handlers

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rssBytes is the process's resident memory (Linux), or 0 where unknown.
func rssBytes() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

// TestRosterCSVStreamsLargeMonth gives Valley a month of 100,000 members and downloads
// its roster over a real connection, reading slowly: every row arrives, and the
// server's heap grows by a small fraction of the file's size, because rows are written
// as they are read rather than held.
func TestRosterCSVStreamsLargeMonth(t *testing.T) {
	if testing.Short() {
		t.Skip("inserts 100,000 roster rows")
	}
	const extra = 100000
	ta := newTestApp(t)
	v := ta.valleyLatest(t)
	var pk int64
	if err := ta.db.R.QueryRow("SELECT MIN(id) FROM members").Scan(&pk); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.db.W.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO capitation_spans(tin_id, member_id, member_pk, rate_cell_id, aid_code, first_month, last_month)
		SELECT ?, printf('Z%09d', i), ?, 8, '', ?, '9999-12' FROM n`, extra, v.tinID, pk, v.month); err != nil {
		t.Fatal(err)
	}
	want := int(v.members) + extra
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = ta.app.Listener(ln) }()
	t.Cleanup(func() { _ = ta.app.Shutdown() })
	c := ta.as("manager@valley.example")
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://%s/reports/roster.csv?tin=%d&month=%s", ln.Addr(), v.tinID, v.month), nil)
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	// Keep garbage low, so that what the heap holds is what the download holds.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	baseRSS := rssBytes()
	var peakHeap, peakRSS atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if h := int64(m.HeapInuse); h > peakHeap.Load() {
				peakHeap.Store(h)
			}
			if r := rssBytes(); r > peakRSS.Load() {
				peakRSS.Store(r)
			}
		}
	}()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	sc := bufio.NewScanner(res.Body)
	lines, size := 0, 0
	for sc.Scan() {
		lines++
		size += len(sc.Bytes()) + 1
		if lines%20000 == 0 {
			time.Sleep(20 * time.Millisecond) // a slow client: the server must not run ahead into memory
		}
	}
	res.Body.Close()
	close(stop)
	wg.Wait()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines != want+1 {
		t.Fatalf("the CSV has %d rows, want %d", lines-1, want)
	}
	growth := peakHeap.Load() - int64(base.HeapInuse)
	t.Logf("roster CSV: %d rows, %d KB; server heap grew by %d KB at most (base %d KB); resident memory %d → %d MB at most",
		lines-1, size>>10, growth>>10, base.HeapInuse>>10, baseRSS>>20, peakRSS.Load()>>20)
	// Holding the rows would take several times the file's size; a stream's garbage
	// between collections stays well under half of it.
	if growth > int64(size)/2 {
		t.Errorf("the heap grew by %d KB while streaming a %d KB file: the rows are being held", growth>>10, size>>10)
	}
}
