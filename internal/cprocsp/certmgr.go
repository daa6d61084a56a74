package cprocsp

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gmu-doctor/gmu-doctor/internal/lazyre"
)

// CertRecord is one certificate in `certmgr -list` output.
type CertRecord struct {
	Issuer, Subject    string
	Serial             string // upper-case hex without 0x
	SHA1               string // upper-case hex
	SubjKeyID          string // upper-case hex
	SignatureAlgorithm string
	PublicKeyAlgorithm string
	NotBefore          time.Time
	NotAfter           time.Time
	HasPrivateKey      bool   // "PrivateKey Link : Yes"
	Container          string // as printed, e.g. `HDIMAGE\\name.000\ABCD`
	ProviderName       string
	// ProvType and KeySpec come from "Provider Info : ProvType: 80, KeySpec: 1,
	// Flags: 0x0" (certmgr 1.0) or "Provider Type: 80, Key Spec: 1" (CSP 5.0).
	ProvType, KeySpec int
	CAURLs            []string
	OCSPURLs          []string
	CDPs              []string
	EKU               []string
}

// field identifies a certmgr label.
type field int

const (
	fUnknown field = iota
	fIssuer
	fSubject
	fSerial
	fSHA1
	fSKI
	fSigAlg
	fPubAlg
	fNotBefore
	fNotAfter
	fKeyLink
	fContainer
	fProvName
	fProvInfo
	fCAURL
	fOCSP
	fCDP
	fEKU
)

// labels maps lower-cased labels to fields. English and Russian labels seen
// in real output ([V]); the Russian labels of the key-link and algorithm
// lines were not seen and are guesses ([I]), kept so that a Russian build
// using them is still read.
var labels = map[string]field{
	"issuer": fIssuer, "издатель": fIssuer,
	"subject": fSubject, "субъект": fSubject,
	"serial": fSerial, "серийный номер": fSerial,
	"sha1 hash": fSHA1, "sha1 thumbprint": fSHA1, "хэш sha1": fSHA1, "sha1 отпечаток": fSHA1, "отпечаток sha1": fSHA1,
	"subjkeyid": fSKI, "идентификатор ключа": fSKI,
	"signature algorithm": fSigAlg, "алгоритм подписи": fSigAlg,
	"publickey algorithm": fPubAlg, "public key algorithm": fPubAlg, "алгоритм открытого ключа": fPubAlg, "алгоритм ключа": fPubAlg,
	"not valid before": fNotBefore, "выдан": fNotBefore,
	"not valid after": fNotAfter, "истекает": fNotAfter,
	"privatekey link": fKeyLink, "private key link": fKeyLink, "ссылка на ключ": fKeyLink, "ссылка на закрытый ключ": fKeyLink,
	"container": fContainer, "контейнер": fContainer,
	"provider name": fProvName, "имя провайдера": fProvName, "провайдер": fProvName,
	"provider info": fProvInfo, "информация о провайдере": fProvInfo,
	"ca cert url": fCAURL, "url сертификата уц": fCAURL,
	"ocsp url": fOCSP, "url ocsp": fOCSP,
	"cdp": fCDP, "url списка отзыва": fCDP,
	"extended key usage": fEKU, "назначение/eku": fEKU, "назначение": fEKU,
}

var (
	provTypeRE = lazyre.New(`(?i)prov(?:ider)?\s*type\s*:\s*(\d+)`)
	keySpecRE  = lazyre.New(`(?i)key\s*spec\s*:\s*(\d+)`)
	// Phrases certmgr prints for an empty store ([I]: exact wording unknown).
	emptyListRE = lazyre.New(`(?i)empty certificate list|no certificates|список сертификатов пуст|сертификаты не найдены|нет сертификатов`)
)

// codeNoCertificates is SCARD_E_NO_SUCH_CERTIFICATE, which certmgr is
// believed to return for an empty store ([I]).
const codeNoCertificates = 0x8010002C

// ParseCertmgrList reads `certmgr -list [-store X]` (or `-inst`) output in
// English or Russian, UTF-8 or cp1251, with LF or CRLF line ends, as the
// tool printed it or indented as a whole (pasted into a document). Give it
// stdout and stderr together: some builds print the empty-store message on
// stderr. An empty store gives an empty slice and no error;
// output with no records that is not recognisably an empty listing is an
// error. Per-record problems (a date that does not parse) are not fatal: the
// field stays zero.
func ParseCertmgrList(out []byte) ([]CertRecord, error) {
	text := DecodeText(out)
	var (
		recs    []CertRecord
		cur     *CertRecord
		last    field
		started bool
		indent  int // leading blanks of the record-start line
	)
	flush := func() {
		if cur != nil {
			recs = append(recs, *cur)
			cur = nil
		}
	}
	for _, raw := range lines(text) {
		if isRecordStart(raw) || (cur == nil && startsRecord(raw)) {
			indent = leadingBlanks(raw)
		}
		raw = dropIndent(raw, indent)
		line := strings.TrimRight(raw, " \t")
		switch {
		case isRecordStart(line):
			flush()
			cur, last, started = &CertRecord{}, fUnknown, true
			continue
		case isFrame(line):
			flush()
			last = fUnknown
			continue
		case strings.TrimSpace(line) == "":
			last = fUnknown
			continue
		}
		label, value, ok := splitLabel(line)
		if cur == nil {
			// A listing pasted without its "1-------" line still starts
			// with the issuer or subject.
			if !ok || !startsRecord(line) {
				continue
			}
			cur, last, started = &CertRecord{}, fUnknown, true
		}
		if !ok {
			// A continuation line (EKU and URL lists wrap onto indented lines).
			if (raw[0] == ' ' || raw[0] == '\t') && last != fUnknown {
				cur.add(last, strings.TrimSpace(line))
			}
			continue
		}
		f := labels[strings.ToLower(label)]
		if f == fUnknown {
			last = fUnknown
			continue
		}
		cur.add(f, value)
		last = f
	}
	flush()
	if started || len(recs) > 0 {
		return recs, nil
	}
	code, hasCode := ErrorCode(out)
	switch {
	case emptyListRE.MatchString(text):
		return nil, nil
	case hasCode && (code == 0 || code == codeNoCertificates):
		return nil, nil
	case hasCode:
		return nil, fmt.Errorf("list certificates: certmgr reported error 0x%08X", code)
	case strings.TrimSpace(text) == "":
		return nil, fmt.Errorf("list certificates: certmgr printed nothing")
	}
	return nil, fmt.Errorf("list certificates: unrecognised certmgr output (%d bytes)", len(out))
}

// isRecordStart matches "12-------" (digits, then at least 7 dashes).
func isRecordStart(line string) bool {
	line = strings.TrimSpace(line)
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i == 0 || len(line)-i < 7 {
		return false
	}
	return strings.Trim(line[i:], "-") == ""
}

// startsRecord reports whether a line (indented or not) is an Issuer or
// Subject line, with which a listing pasted without its "1-------" line
// begins.
func startsRecord(line string) bool {
	label, _, ok := splitLabel(strings.TrimLeft(line, " \t"))
	if !ok {
		return false
	}
	f := labels[strings.ToLower(label)]
	return f == fIssuer || f == fSubject
}

// leadingBlanks counts the spaces and tabs a line starts with.
func leadingBlanks(s string) int {
	n := 0
	for n < len(s) && (s[n] == ' ' || s[n] == '\t') {
		n++
	}
	return n
}

// dropIndent removes up to n leading blanks: the indentation of a whole
// listing, so that its labels start the line again while continuation lines
// keep their own, deeper indentation.
func dropIndent(s string, n int) string {
	if b := leadingBlanks(s); b < n {
		n = b
	}
	return s[n:]
}

// isFrame matches a line of at least 5 '=' characters.
func isFrame(line string) bool {
	line = strings.TrimSpace(line)
	return len(line) >= 5 && strings.Trim(line, "=") == ""
}

// splitLabel splits "Label      : value". The label must be short and sit
// at the start of the line.
func splitLabel(line string) (label, value string, ok bool) {
	if line == "" || line[0] == ' ' || line[0] == '\t' {
		return "", "", false
	}
	i := strings.Index(line, ":")
	if i <= 0 || i > 60 {
		return "", "", false
	}
	label = strings.TrimSpace(line[:i])
	value = strings.TrimSpace(line[i+1:])
	// Labels have single spaces inside ("Not valid before"); collapse runs.
	label = strings.Join(strings.Fields(label), " ")
	return label, value, label != ""
}

func (r *CertRecord) add(f field, v string) {
	switch f {
	case fIssuer:
		r.Issuer = v
	case fSubject:
		r.Subject = v
	case fSerial:
		r.Serial = normHex(v)
	case fSHA1:
		r.SHA1 = normHex(v)
	case fSKI:
		r.SubjKeyID = normHex(v)
	case fSigAlg:
		r.SignatureAlgorithm = v
	case fPubAlg:
		r.PublicKeyAlgorithm = v
	case fNotBefore:
		r.NotBefore = parseCertmgrTime(v)
	case fNotAfter:
		r.NotAfter = parseCertmgrTime(v)
	case fKeyLink:
		l := strings.ToLower(v)
		r.HasPrivateKey = strings.HasPrefix(l, "yes") || strings.HasPrefix(l, "да") || strings.HasPrefix(l, "есть")
	case fContainer:
		r.Container = v
	case fProvName:
		r.ProviderName = v
	case fProvInfo:
		if m := provTypeRE.FindStringSubmatch(v); m != nil {
			r.ProvType = atoiBounded(m[1])
		}
		if m := keySpecRE.FindStringSubmatch(v); m != nil {
			r.KeySpec = atoiBounded(m[1])
		}
	case fCAURL:
		r.CAURLs = appendNonEmpty(r.CAURLs, v)
	case fOCSP:
		r.OCSPURLs = appendNonEmpty(r.OCSPURLs, v)
	case fCDP:
		r.CDPs = appendNonEmpty(r.CDPs, v)
	case fEKU:
		r.EKU = appendNonEmpty(r.EKU, v)
	}
}

func appendNonEmpty(list []string, v string) []string {
	if v == "" {
		return list
	}
	return append(list, v)
}

func atoiBounded(s string) int {
	if len(s) > 9 {
		return 0
	}
	n, _ := strconv.Atoi(s)
	return n
}

// normHex upper-cases a hex string and drops "0x", spaces and colons.
func normHex(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	var sb strings.Builder
	for _, c := range s {
		switch {
		case c == ' ' || c == ':':
		case c >= 'a' && c <= 'f':
			sb.WriteRune(c - 32)
		default:
			sb.WriteRune(c)
		}
	}
	return sb.String()
}

// certmgr prints dates day first, "27/04/2017  09:40:47 UTC", in every
// real listing users posted (certmgr 1.0 and 1.1, CSP 4.0 and 5.0; see
// testdata/linux/outputs/real). Dotted day-first dates are accepted too.
var timeLayouts = []string{
	"02/01/2006 15:04:05",
	"02.01.2006 15:04:05",
	"2006-01-02 15:04:05",
}

func parseCertmgrTime(v string) time.Time {
	f := strings.Fields(v)
	if len(f) >= 1 && (strings.EqualFold(f[len(f)-1], "UTC") || strings.EqualFold(f[len(f)-1], "GMT")) {
		f = f[:len(f)-1]
	}
	s := strings.Join(f, " ")
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
