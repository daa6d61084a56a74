package cprocsp

import "testing"

// `\\.\\0` (FuzzParseContainers found it) named a container with an empty
// reader and the name "0"; personal-certs would then have matched a key
// link called "0" to it and offered `certmgr -inst -cont '\\.\\0'`. A
// fully qualified container name without a reader is no container.
func TestParseContainersNeedsAReader(t *testing.T) {
	for _, in := range []string{`\\.\\0`, `\\.\`, `\\.\ | x`, `\\.\\name | \\.\\name`} {
		list, _ := ParseContainers([]byte(in + "\n[ErrorCode: 0x00000000]\n"))
		if len(list) != 0 {
			t.Errorf("%q: %+v", in, list)
		}
	}
	list, err := ParseContainers([]byte(`\\.\HDIMAGE\\0` + "\n"))
	if err != nil || len(list) != 1 || list[0].Reader != "HDIMAGE" || list[0].Name != `\0` {
		t.Errorf("reader with an odd name: %+v %v", list, err)
	}
}
