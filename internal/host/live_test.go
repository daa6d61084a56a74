package host

import (
	"testing"
	"time"
)

func TestNewLiveAtPinsTheClock(t *testing.T) {
	at := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	h, err := NewLive(LiveOptions{At: at})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Now(); !got.Equal(at) {
		t.Errorf("Now() = %v, want %v", got, at)
	}
	if h.Facts().OS == "" {
		t.Error("facts lost behind the clock override")
	}
	plain, err := NewLive(LiveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(plain.Now()); d < 0 || d > time.Minute {
		t.Errorf("live clock is off by %v", d)
	}
}
