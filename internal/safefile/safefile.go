// Package safefile reads files that come from outside gmu-doctor — a config
// file, a snapshot, a certificate named on the command line, a file of an
// inspected disk under --root — without the traps of special files.
//
// Only regular files are read: a named pipe (FIFO) would block the reader
// forever, a device such as /dev/zero never ends, a socket cannot be read
// at all. The type is checked before the file is opened (os.Stat), the file
// is opened without blocking (O_NONBLOCK on Unix, so a pipe swapped in
// between the two steps cannot hang the open) and checked again on the open
// descriptor. Every read has a size cap chosen for the kind of file, and
// every error names the file and says why it was refused.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Errors wrapped by Open and ReadFile; test with errors.Is.
var (
	// ErrNotRegular: the path is a directory, pipe, device or socket.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge: the file is larger than the cap for its kind.
	ErrTooLarge = errors.New("file is too large")
)

// Size caps for the kinds of files gmu-doctor reads.
const (
	// ConfigLimit: gmu-doctor's own config file (a few hundred bytes in
	// practice; the example config is under 4 KiB).
	ConfigLimit = 1 << 20
	// CertLimit: one certificate file or bundle named on the command line
	// (the accredited-CA bundle of every Russian CA is about 2 MiB).
	CertLimit = 32 << 20
	// SnapshotLimit: a snapshot document (see host.MaxSnapshotSize).
	SnapshotLimit = 64 << 20
)

// Open opens path for reading if it is a regular file (symbolic links are
// followed). It never blocks on a FIFO. The caller closes the file.
func Open(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err // *fs.PathError: "stat PATH: no such file or directory"
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(path, st.Mode())
	}
	f, err := openNonblocking(path)
	if err != nil {
		return nil, err
	}
	st, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(path, st.Mode())
	}
	return f, nil
}

// ReadFile reads a whole regular file of at most max bytes. A larger file
// is an error wrapping ErrTooLarge (nothing is returned: a truncated config,
// snapshot or certificate would be misread); a pipe, device, socket or
// directory is an error wrapping ErrNotRegular.
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		if st.Size() > max {
			return nil, tooLarge(path, st.Size(), max)
		}
		size = st.Size()
	}
	data, err := readAll(io.LimitReader(f, max+1), size)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	if int64(len(data)) > max {
		// The file grew while it was read.
		return nil, tooLarge(path, -1, max)
	}
	return data, nil
}

// ReadHead reads at most max bytes of a regular file: for callers that
// want only the beginning of a file, or that document a truncating read.
func ReadHead(path string, max int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	return data, nil
}

// Kind names a file mode for messages: "a named pipe (FIFO)", "a directory".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

func notRegular(path string, m fs.FileMode) error {
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: it is %s", ErrNotRegular, Kind(m))}
}

func tooLarge(path string, size, max int64) error {
	what := "it grew while being read"
	if size >= 0 {
		what = "it is " + Size(size)
	}
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: %s, the limit is %s", ErrTooLarge, what, Size(max))}
}

// Size renders a byte count for messages: "512 bytes", "64 KiB", "5.3 GiB".
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v, i := float64(n)/unit, 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// readAll is io.ReadAll into a buffer sized for the size the file says it
// has (plus one byte, to see the end): one allocation instead of
// io.ReadAll's chain of growing chunks and final copy, which for the 3 MB
// accredited-CA bundle allocated and faulted in three times its size.
// A file that grows or reports no size (/proc) still reads whole.
func readAll(r io.Reader, size int64) ([]byte, error) {
	if size < 512 {
		size = 512
	}
	b := make([]byte, 0, size+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}
