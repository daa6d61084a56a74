// Package tsl reads the list of accredited certification authorities that
// e-trust.gosuslugi.ru publishes as XML (АккредитованныеУдостоверяющиеЦентры):
// each CA with its accreditation status and the keys and certificates of
// its authorised persons. It answers one question for the checks: is the
// issuer of a certificate, found by key identifier or thumbprint, an
// accredited CA, and is its accreditation in force.
package tsl

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxSize bounds the XML read by Parse (the real list is tens of MB).
const MaxSize = 256 << 20

// Accreditation statuses as the list spells them.
const (
	StatusActive     = "Действует"
	StatusRevoked    = "Аннулирована"
	StatusTerminated = "Прекращена"
)

// List is a parsed accredited-CA list.
type List struct {
	Version string
	CAs     []CA
}

// CA is one certification authority.
type CA struct {
	Name, ShortName, INN, OGRN, RegNumber string
	// Status is the accreditation status (StatusActive …); StatusSince its
	// start as written in the list.
	Status, StatusSince string
	Keys                []Key
}

// Active reports whether the accreditation is in force.
func (c *CA) Active() bool { return strings.EqualFold(strings.TrimSpace(c.Status), StatusActive) }

// Key is one key of an authorised person of the CA.
type Key struct {
	// KeyID is the subject key identifier, upper-case hex without separators.
	KeyID string
	CRLs  []string
	Certs []Cert
}

// Cert is one certificate of a key.
type Cert struct {
	// Thumbprint is the SHA-1, upper-case hex without separators.
	Thumbprint, Issuer, Subject, Serial string
	NotBefore, NotAfter                 time.Time // zero when absent or unreadable
	// Data is the base64 DER as in the list; see DER.
	Data string
}

// DER decodes Data.
func (c Cert) DER() ([]byte, error) {
	s := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, c.Data)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("decode certificate %s: %w", c.Thumbprint, err)
	}
	return b, nil
}

// XML shape (element names of the published schema).
type xList struct {
	XMLName xml.Name `xml:"АккредитованныеУдостоверяющиеЦентры"`
	Version string   `xml:"Версия"`
	CAs     []xCA    `xml:"УдостоверяющийЦентр"`
}

type xCA struct {
	Name      string `xml:"Название"`
	ShortName string `xml:"КраткоеНазвание"`
	INN       string `xml:"ИНН"`
	OGRN      string `xml:"ОГРН"`
	RegNumber string `xml:"РеестровыйНомер"`
	Status    struct {
		Status string `xml:"Статус"`
		Since  string `xml:"ДействуетС"`
	} `xml:"СтатусАккредитации"`
	Complexes []struct {
		Keys []xKey `xml:"КлючиУполномоченныхЛиц>Ключ"`
	} `xml:"ПрограммноАппаратныеКомплексы>ПрограммноАппаратныйКомплекс"`
}

type xKey struct {
	KeyID string   `xml:"ИдентификаторКлюча"`
	CRLs  []string `xml:"АдресаСписковОтзыва>Адрес"`
	Certs []struct {
		Thumbprint string `xml:"Отпечаток"`
		Issuer     string `xml:"КемВыдан"`
		Subject    string `xml:"КомуВыдан"`
		Serial     string `xml:"СерийныйНомер"`
		NotBefore  string `xml:"ПериодДействияС"`
		NotAfter   string `xml:"ПериодДействияДо"`
		Data       string `xml:"Данные"`
	} `xml:"Сертификаты>ДанныеСертификата"`
}

// limit is MaxSize; tests lower it.
var limit int64 = MaxSize

// ErrTooLarge is returned for input over MaxSize.
var ErrTooLarge = errors.New("accredited CA list is larger than the limit")

// Parse reads a list. The input must be the XML document with the root
// element АккредитованныеУдостоверяющиеЦентры (UTF-8, as published).
func Parse(r io.Reader) (*List, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read accredited CA list: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("read accredited CA list: %w (%d bytes)", ErrTooLarge, limit)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") {
			return in, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	var x xList
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("parse accredited CA list: %w", err)
	}
	l := &List{Version: strings.TrimSpace(x.Version)}
	for _, xc := range x.CAs {
		ca := CA{
			Name: strings.TrimSpace(xc.Name), ShortName: strings.TrimSpace(xc.ShortName),
			INN: strings.TrimSpace(xc.INN), OGRN: strings.TrimSpace(xc.OGRN), RegNumber: strings.TrimSpace(xc.RegNumber),
			Status: strings.TrimSpace(xc.Status.Status), StatusSince: strings.TrimSpace(xc.Status.Since),
		}
		for _, cx := range xc.Complexes {
			for _, xk := range cx.Keys {
				k := Key{KeyID: NormHex(xk.KeyID)}
				for _, u := range xk.CRLs {
					if u = strings.TrimSpace(u); u != "" {
						k.CRLs = append(k.CRLs, u)
					}
				}
				for _, xcert := range xk.Certs {
					k.Certs = append(k.Certs, Cert{
						Thumbprint: NormHex(xcert.Thumbprint),
						Issuer:     strings.TrimSpace(xcert.Issuer),
						Subject:    strings.TrimSpace(xcert.Subject),
						Serial:     NormHex(xcert.Serial),
						NotBefore:  parseTime(xcert.NotBefore),
						NotAfter:   parseTime(xcert.NotAfter),
						Data:       xcert.Data,
					})
				}
				ca.Keys = append(ca.Keys, k)
			}
		}
		l.CAs = append(l.CAs, ca)
	}
	if len(l.CAs) == 0 {
		return nil, errors.New("parse accredited CA list: no УдостоверяющийЦентр elements")
	}
	return l, nil
}

func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// NormHex upper-cases hex and drops everything else (spaces, colons).
func NormHex(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'F':
			b.WriteRune(r)
		case r >= 'a' && r <= 'f':
			b.WriteRune(r - 'a' + 'A')
		}
	}
	return b.String()
}

// ByKeyID finds the CA and key with that key identifier (any hex form).
func (l *List) ByKeyID(keyID string) (*CA, *Key) {
	id := NormHex(keyID)
	if id == "" {
		return nil, nil
	}
	for i := range l.CAs {
		for j := range l.CAs[i].Keys {
			if l.CAs[i].Keys[j].KeyID == id {
				return &l.CAs[i], &l.CAs[i].Keys[j]
			}
		}
	}
	return nil, nil
}

// ByThumbprint finds the CA and certificate with that SHA-1 thumbprint.
func (l *List) ByThumbprint(sha1 string) (*CA, *Cert) {
	id := NormHex(sha1)
	if id == "" {
		return nil, nil
	}
	for i := range l.CAs {
		for j := range l.CAs[i].Keys {
			for k := range l.CAs[i].Keys[j].Certs {
				if l.CAs[i].Keys[j].Certs[k].Thumbprint == id {
					return &l.CAs[i], &l.CAs[i].Keys[j].Certs[k]
				}
			}
		}
	}
	return nil, nil
}
