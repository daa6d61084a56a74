package i18n

// Команды probe и net allowlist (задача 13).
func init() { add(RU, ruProbe) }

func ruProbe() map[string]string {
	return map[string]string{
		"probe.short":           "проверить один адрес HTTPS или TLS по ГОСТ: DNS, TCP, TLS, цепочка, перехват",
		"probe.long":            "Подключается к URL (https://узел[:порт] или узел[:порт]) так же, как проверка sites: DNS, TCP, TLS-соединение (TLS по ГОСТ собственным ClientHello или обычный TLS), затем проверяет цепочку, которую предъявил сервер, по хранилищам «Доверенные корневые» этого компьютера (или по файлам --root) и называет корневой сертификат, на котором она заканчивается, недостающий корневой или перехват TLS. Сайт из профилей оценивается по его собственным корневым; другой адрес проверяется сначала по ГОСТ, затем обычным TLS (--tls).\nКоды завершения: 0 — доступен и доверен, 1 — любой другой вердикт, 2 — ошибка в аргументах или файл не читается.",
		"probe.flag.root":       "доверять только этим корневым сертификатам: файл или каталог (можно несколько раз); по умолчанию — хранилища «Доверенные корневые» компьютера",
		"probe.flag.tls":        "вид TLS: auto, gost или standard",
		"probe.flag.timeout":    "предел времени на каждый сетевой шаг",
		"probe.error.tls":       "неизвестное значение --tls %q; допустимы: auto, gost, standard",
		"probe.error.url":       "%q — не адрес https:// (https://узел[:порт] или узел[:порт])",
		"probe.error.offline":   "probe нужна сеть, а она отключена (--offline, offline: true или GMU_DOCTOR_OFFLINE)",
		"probe.error.run":       "проверка прервана: %s",
		"probe.mode.standard":   "обычный TLS",
		"probe.mode.gost":       "TLS по ГОСТ",
		"probe.addr":            "Адрес: %s (%s)",
		"probe.tcp.ok":          "подключение к %s за %d мс",
		"probe.proxy":           "через прокси %s",
		"probe.standard-answer": "вместо этого отвечает обычный TLS: %s, %s",
		"probe.clock":           "Время сервера: %s (часы компьютера − часы сервера: %s)",
		"probe.verdict":         "Вердикт: %s",

		"probe.verdict.trusted":      "доступен и доверен",
		"probe.verdict.dns":          "имя не разрешается в адрес",
		"probe.verdict.unreachable":  "недоступен",
		"probe.verdict.tls":          "TLS-соединение не установлено",
		"probe.verdict.no-gost":      "сервер не предлагает ГОСТ",
		"probe.verdict.root-missing": "цепочка заканчивается корневым сертификатом, которого нет на этом компьютере",
		"probe.verdict.intercepted":  "перехват TLS",
		"probe.verdict.chain":        "цепочка недействительна",
		"probe.verdict.name":         "сертификат выдан для другого имени",

		"net.short":                 "сетевые требования этого компьютера",
		"net.allowlist.short":       "все узел:порт, которые должны быть открыты этому компьютеру (сайты, CRL, OCSP, AIA)",
		"net.allowlist.long":        "Перечисляет все узел:порт, к которым этому компьютеру нужен доступ, для администратора межсетевого экрана или прокси: адреса выбранных сайтов, точки распространения CRL, OCSP-серверы и адреса сертификатов издателей (AIA) его личных сертификатов и всех сертификатов их цепочек. По сети ничего не запрашивается.",
		"net.flag.format":           "формат: text, json или csv",
		"net.allowlist.store-error": "часть хранилищ сертификатов не прочитана: %s",
		"net.allowlist.header":      "Разрешить адреса (%d):",
		"net.purpose.site":          "сайт (HTTPS / TLS по ГОСТ)",
		"net.purpose.crl":           "CRL (CDP)",
		"net.purpose.ocsp":          "OCSP",
		"net.purpose.aia":           "сертификаты издателей (AIA)",
	}
}
