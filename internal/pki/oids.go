package pki

// The OID dictionary. Every group names its source; where the meaning of a
// value seen in real certificates is unknown, it is not listed (the OID is
// shown bare) rather than guessed. GMU (bus.gov.ru) authority OIDs are not
// public and are deliberately absent: they belong in configuration data.

type oidEntry struct{ ru, en string }

var oidNames = map[string]oidEntry{
	// --- Extended key usages, RFC 5280 §4.2.1.12
	"1.3.6.1.5.5.7.3.1": {"Проверка подлинности сервера", "TLS server authentication"},
	"1.3.6.1.5.5.7.3.2": {"Проверка подлинности клиента", "TLS client authentication"},
	"1.3.6.1.5.5.7.3.3": {"Подписывание кода", "Code signing"},
	"1.3.6.1.5.5.7.3.4": {"Защищенная электронная почта", "E-mail protection"},
	"1.3.6.1.5.5.7.3.8": {"Установка штампа времени", "Time stamping"},
	"1.3.6.1.5.5.7.3.9": {"Подписывание ответов OCSP", "OCSP signing"},
	"2.5.29.37.0":       {"Любое назначение", "Any extended key usage"},

	// --- ЕИС / zakupki (ООС) roles: domain.md §1.2 [V], dictionaries of
	// wolandius/token-manager, RTS-tender cryptoHelper, crypto-pro-js
	"1.2.643.3.61.502710.1.6.3.4":     {"ЕИС: Прочий", "EIS (zakupki): other"},
	"1.2.643.3.61.502710.1.6.3.4.1":   {"ЕИС: Заказчик", "EIS (zakupki): customer"},
	"1.2.643.3.61.502710.1.6.3.4.1.1": {"ЕИС: Администратор организации", "EIS (zakupki): organisation administrator"},
	"1.2.643.3.61.502710.1.6.3.4.1.2": {"ЕИС: Уполномоченный специалист", "EIS (zakupki): authorised specialist"},
	"1.2.643.3.61.502710.1.6.3.4.1.3": {"ЕИС: Должностное лицо с правом подписи контракта", "EIS (zakupki): official entitled to sign contracts"},
	"1.2.643.3.61.502710.1.6.3.4.1.4": {"ЕИС: Специалист с правом направления проекта контракта участнику размещения заказа", "EIS (zakupki): specialist entitled to send draft contracts to bidders"},
	"1.2.643.3.61.502710.1.6.3.4.2":   {"ЕИС: Уполномоченный орган", "EIS (zakupki): authorised body"},
	"1.2.643.3.61.502710.1.6.3.4.3":   {"ЕИС: Специализированная организация", "EIS (zakupki): specialised organisation"},
	"1.2.643.3.61.502710.1.6.3.4.4":   {"ЕИС: Контролирующий орган", "EIS (zakupki): supervisory body"},
	"1.2.643.3.61.502710.1.6.3.4.16":  {"ЕИС: Уполномоченное учреждение", "EIS (zakupki): authorised institution"},
	"1.2.643.6.3":                     {"Использование в электронных торговых системах", "Use in electronic trading systems"},
	"1.2.643.6.3.1.1":                 {"Участник ЭТП", "Electronic trading platform participant"},
	"1.2.643.6.3.1.2.1":               {"Тип участника: юридическое лицо", "Participant type: legal entity"},
	"1.2.643.6.3.1.2.2":               {"Тип участника: физическое лицо", "Participant type: individual"},
	"1.2.643.6.3.1.2.3":               {"Тип участника: индивидуальный предприниматель", "Participant type: sole proprietor"},
	"1.2.643.6.3.1.3.1":               {"Участник размещения заказа", "Procurement participant"},
	"1.2.643.6.3.1.4.1":               {"ООС: Администратор организации", "Old EIS (OOS): organisation administrator"},
	"1.2.643.6.3.1.4.2":               {"ООС: Уполномоченный специалист", "Old EIS (OOS): authorised specialist"},
	"1.2.643.6.3.1.4.3":               {"ООС: Специалист с правом подписи контракта", "Old EIS (OOS): specialist entitled to sign contracts"},
	"1.2.643.3.61.502710.1.7":         {"КПП", "KPP (tax registration reason code)"},

	// --- Other Russian EKUs: domain.md §1.3 [V] (crypto-pro-js, token-manager)
	"1.2.643.100.2.1":   {"Доступ к СМЭВ (физическое лицо)", "SMEV access (individual)"},
	"1.2.643.100.2.2":   {"Доступ к СМЭВ (юридическое лицо)", "SMEV access (legal entity)"},
	"1.2.643.2.2.34.6":  {"Пользователь Центра Регистрации (КриптоПро УЦ)", "Registration Centre user (CryptoPro CA)"},
	"1.2.643.2.39.1.1":  {"Использование в программных продуктах «1С:Предприятие 8»", "Use in 1C:Enterprise 8"},
	"1.2.643.3.141.1.1": {"РНС ФСС", "FSS registration number"},
	"1.2.643.3.141.1.2": {"КП ФСС", "FSS subordination code"},

	// --- Certificate policies: Приказ ФСБ № 795 / OpenSSL objects.txt,
	// domain.md §2.1 [V] (class of signing tool, arc 1.2.643.100.113)
	"1.2.643.100.113.1": {"Класс средства ЭП КС1", "Signing tool class KC1"},
	"1.2.643.100.113.2": {"Класс средства ЭП КС2", "Signing tool class KC2"},
	"1.2.643.100.113.3": {"Класс средства ЭП КС3", "Signing tool class KC3"},
	"1.2.643.100.113.4": {"Класс средства ЭП КВ1", "Signing tool class KB1"},
	"1.2.643.100.113.5": {"Класс средства ЭП КВ2", "Signing tool class KB2"},
	"1.2.643.100.113.6": {"Класс средства ЭП КА1", "Signing tool class KA1"},
	"2.5.29.32.0":       {"Любая политика", "Any policy"}, // RFC 5280 §4.2.1.4

	// --- Name attributes: X.520 / RFC 4519, PKCS #9 (RFC 2985), and the
	// Russian ones from Приказ ФСБ № 795 / OpenSSL objects.txt (domain.md §2.1)
	"2.5.4.3":              {"Общее имя", "Common name"},
	"2.5.4.4":              {"Фамилия", "Surname"},
	"2.5.4.5":              {"Серийный номер", "Serial number"},
	"2.5.4.6":              {"Страна", "Country"},
	"2.5.4.7":              {"Населённый пункт", "Locality"},
	"2.5.4.8":              {"Регион", "State or province"},
	"2.5.4.9":              {"Адрес", "Street address"},
	"2.5.4.10":             {"Организация", "Organisation"},
	"2.5.4.11":             {"Подразделение", "Organisational unit"},
	"2.5.4.12":             {"Должность", "Title"},
	"2.5.4.16":             {"Почтовый адрес", "Postal address"},
	"2.5.4.42":             {"Имя и отчество", "Given name"},
	"1.2.840.113549.1.9.1": {"Адрес электронной почты", "E-mail address"},
	"1.2.840.113549.1.9.2": {"Неструктурированное имя", "Unstructured name"},
	"1.2.643.100.1":        {"ОГРН", "OGRN (primary state registration number)"},
	"1.2.643.100.3":        {"СНИЛС", "SNILS (individual insurance account number)"},
	"1.2.643.100.4":        {"ИНН юридического лица", "INN of a legal entity"},
	"1.2.643.100.5":        {"ОГРНИП", "OGRNIP (sole proprietor registration number)"},
	"1.2.643.3.131.1.1":    {"ИНН", "INN (taxpayer number)"},

	// --- Extensions: RFC 5280 §4.2 and Приказ ФСБ № 795 (domain.md §2.1)
	"2.5.29.14":         {"Идентификатор ключа субъекта", "Subject key identifier"},
	"2.5.29.15":         {"Использование ключа", "Key usage"},
	"2.5.29.16":         {"Период использования закрытого ключа", "Private key usage period"},
	"2.5.29.17":         {"Альтернативное имя субъекта", "Subject alternative name"},
	"2.5.29.19":         {"Основные ограничения", "Basic constraints"},
	"2.5.29.31":         {"Точки распространения списков отзыва", "CRL distribution points"},
	"2.5.29.32":         {"Политики сертификата", "Certificate policies"},
	"2.5.29.35":         {"Идентификатор ключа центра сертификатов", "Authority key identifier"},
	"2.5.29.37":         {"Улучшенный ключ", "Extended key usage"},
	"1.3.6.1.5.5.7.1.1": {"Доступ к информации о центрах сертификации", "Authority information access"},
	"1.2.643.100.111":   {"Средство электронной подписи владельца", "Subject signing tool"},
	"1.2.643.100.112":   {"Средства электронной подписи и УЦ издателя", "Issuer signing tools"},
	"1.2.643.100.114":   {"Способ идентификации заявителя", "Applicant identification method"},

	// --- Algorithms: RFC 4357, RFC 4491, RFC 9215, RFC 7836 (domain.md §2.2)
	"1.2.643.2.2.19":    {"ГОСТ Р 34.10-2001", "GOST R 34.10-2001"},
	"1.2.643.2.2.9":     {"ГОСТ Р 34.11-94", "GOST R 34.11-94"},
	"1.2.643.2.2.3":     {"ГОСТ Р 34.11/34.10-2001", "GOST R 34.11-94 with GOST R 34.10-2001"},
	"1.2.643.7.1.1.1.1": {"ГОСТ Р 34.10-2012 256 бит", "GOST R 34.10-2012 256-bit"},
	"1.2.643.7.1.1.1.2": {"ГОСТ Р 34.10-2012 512 бит", "GOST R 34.10-2012 512-bit"},
	"1.2.643.7.1.1.2.2": {"ГОСТ Р 34.11-2012 256 бит", "GOST R 34.11-2012 (Streebog) 256-bit"},
	"1.2.643.7.1.1.2.3": {"ГОСТ Р 34.11-2012 512 бит", "GOST R 34.11-2012 (Streebog) 512-bit"},
	"1.2.643.7.1.1.3.2": {"ГОСТ Р 34.11-2012/34.10-2012 256 бит", "GOST R 34.10-2012 with Streebog-256"},
	"1.2.643.7.1.1.3.3": {"ГОСТ Р 34.11-2012/34.10-2012 512 бит", "GOST R 34.10-2012 with Streebog-512"},
	// RFC 8017 / RFC 5480 / RFC 8410
	"1.2.840.113549.1.1.1":  {"RSA", "RSA"},
	"1.2.840.113549.1.1.5":  {"SHA-1 с RSA", "SHA-1 with RSA"},
	"1.2.840.113549.1.1.11": {"SHA-256 с RSA", "SHA-256 with RSA"},
	"1.2.840.113549.1.1.12": {"SHA-384 с RSA", "SHA-384 with RSA"},
	"1.2.840.113549.1.1.13": {"SHA-512 с RSA", "SHA-512 with RSA"},
	"1.2.840.10045.2.1":     {"ECDSA", "ECDSA"},
	"1.2.840.10045.4.3.2":   {"ECDSA с SHA-256", "ECDSA with SHA-256"},
	"1.2.840.10045.4.3.3":   {"ECDSA с SHA-384", "ECDSA with SHA-384"},
	"1.2.840.10045.4.3.4":   {"ECDSA с SHA-512", "ECDSA with SHA-512"},
	"1.2.840.10045.3.1.7":   {"Кривая P-256", "Curve P-256"},
	"1.3.132.0.34":          {"Кривая P-384", "Curve P-384"},
	"1.3.132.0.35":          {"Кривая P-521", "Curve P-521"},

	// --- Parameter sets: RFC 4357 §11.4 (CryptoPro), RFC 7836 / TC26 (domain.md §2.2)
	"1.2.643.2.2.35.0":    {"Тестовые параметры ГОСТ Р 34.10-2001", "GOST R 34.10-2001 test parameters"},
	"1.2.643.2.2.35.1":    {"Параметры КриптоПро A", "CryptoPro-A parameters"},
	"1.2.643.2.2.35.2":    {"Параметры КриптоПро B", "CryptoPro-B parameters"},
	"1.2.643.2.2.35.3":    {"Параметры КриптоПро C", "CryptoPro-C parameters"},
	"1.2.643.2.2.36.0":    {"Параметры КриптоПро XchA", "CryptoPro-XchA parameters"},
	"1.2.643.2.2.36.1":    {"Параметры КриптоПро XchB", "CryptoPro-XchB parameters"},
	"1.2.643.2.2.30.1":    {"Параметры хэширования КриптоПро", "CryptoPro hash parameters"},
	"1.2.643.7.1.2.1.1.1": {"Параметры ТК26 256 A", "TC26 256-bit set A"},
	"1.2.643.7.1.2.1.1.2": {"Параметры ТК26 256 B", "TC26 256-bit set B"},
	"1.2.643.7.1.2.1.1.3": {"Параметры ТК26 256 C", "TC26 256-bit set C"},
	"1.2.643.7.1.2.1.1.4": {"Параметры ТК26 256 D", "TC26 256-bit set D"},
	"1.2.643.7.1.2.1.2.0": {"Тестовые параметры ТК26 512", "TC26 512-bit test set"},
	"1.2.643.7.1.2.1.2.1": {"Параметры ТК26 512 A", "TC26 512-bit set A"},
	"1.2.643.7.1.2.1.2.2": {"Параметры ТК26 512 B", "TC26 512-bit set B"},
	"1.2.643.7.1.2.1.2.3": {"Параметры ТК26 512 C", "TC26 512-bit set C"},
}

// OIDName returns the Russian and English names of a dotted OID.
func OIDName(oid string) (ru, en string, ok bool) {
	e, ok := oidNames[oid]
	return e.ru, e.en, ok
}

// signToolClass maps the class-of-signing-tool policies to their labels.
var signToolClass = map[string]string{
	"1.2.643.100.113.1": "KC1", "1.2.643.100.113.2": "KC2", "1.2.643.100.113.3": "KC3",
	"1.2.643.100.113.4": "KB1", "1.2.643.100.113.5": "KB2", "1.2.643.100.113.6": "KA1",
}

// SignToolClasses returns the classes of signing tool (KC1, KC2 …) from
// the certificate policies, in policy order.
func (c *Certificate) SignToolClasses() []string {
	var out []string
	for _, p := range c.Policies {
		if s, ok := signToolClass[p]; ok {
			out = append(out, s)
		}
	}
	return out
}
