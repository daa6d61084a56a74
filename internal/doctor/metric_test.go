package doctor

import (
	"context"
	"sync"
	"testing"

	"github.com/gmu-doctor/gmu-doctor/internal/host"
	"github.com/gmu-doctor/gmu-doctor/internal/i18n"
)

func TestMetricsReachTheResult(t *testing.T) {
	labels := map[string]string{"sha1": "AB"}
	c := &Check{ID: "m", Title: i18n.Raw("m"), Doc: i18n.Raw("m"), Run: func(ctx context.Context, p *Pass) error {
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				p.Metric("cert_days_left", float64(i), labels)
			}(i)
		}
		wg.Wait()
		labels["sha1"] = "changed after the call"
		return nil
	}}
	r := &Runner{Host: host.NewSnapshotHost(&host.Snapshot{})}
	res := r.Run(context.Background(), []*Check{c}).Results[0]
	if res.Status != StatusOK || len(res.Metrics) != 4 {
		t.Fatalf("status %v, metrics %+v", res.Status, res.Metrics)
	}
	sum := 0.0
	for _, m := range res.Metrics {
		if m.Name != "cert_days_left" || m.Labels["sha1"] != "AB" {
			t.Errorf("metric %+v", m)
		}
		sum += m.Value
	}
	if sum != 6 {
		t.Errorf("values sum to %v", sum)
	}
}
