package report

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/gmu-doctor/gmu-doctor/internal/doctor"
)

// sortedMetrics returns a copy of ms in a stable order: by name, then by
// the labels (compared as sorted key=value pairs), then by value.
func sortedMetrics(ms []doctor.Metric) []doctor.Metric {
	out := append([]doctor.Metric(nil), ms...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if c := compareLabels(a.Labels, b.Labels); c != 0 {
			return c < 0
		}
		return a.Value < b.Value
	})
	return out
}

// labelKeys returns the label names of m in sorted order.
func labelKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// compareLabels orders two label sets by their sorted (key, value) pairs;
// a set that is a prefix of the other comes first.
func compareLabels(a, b map[string]string) int {
	ka, kb := labelKeys(a), labelKeys(b)
	for i := 0; i < len(ka) && i < len(kb); i++ {
		if ka[i] != kb[i] {
			return strings.Compare(ka[i], kb[i])
		}
		if c := strings.Compare(a[ka[i]], b[kb[i]]); c != 0 {
			return c
		}
	}
	return len(ka) - len(kb)
}

// formatValue writes a metric value the way both people and the
// Prometheus exposition format read it: 87, 0.5, NaN, +Inf, -Inf.
func formatValue(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		// Whole numbers in full (7516800, not 7.5168e+06): seconds left
		// and counts read better so.
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// metricLine is the human form of a metric for the verbose text report:
// cert_days_left{sha1=…,store=…} = 87.
func metricLine(m doctor.Metric) string {
	var sb strings.Builder
	sb.WriteString(m.Name)
	if len(m.Labels) > 0 {
		sb.WriteByte('{')
		for i, k := range labelKeys(m.Labels) {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(k + "=" + m.Labels[k])
		}
		sb.WriteByte('}')
	}
	sb.WriteString(" = " + formatValue(m.Value))
	return sb.String()
}
