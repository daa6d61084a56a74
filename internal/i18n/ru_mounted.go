package i18n

// What checks say about a mounted disk (--root), where gmu-doctor never runs
// the inspected system's programs, and the chain search limits.
func init() {
	add(RU, map[string]string{
		"csp.summary.mounted":          "установлен; версию по смонтированному диску не определить",
		"csp.note.mounted":             "gmu-doctor не запускает программы проверяемого диска, а версии пакета %s нет в файлах, которые он читает (%s); на самой рабочей станции выполните: %s",
		"csp.note.mounted-package":     "версия взята из базы пакетов %s (пакет %s %s), а не из csptest: gmu-doctor не запускает программы проверяемого диска",
		"csp-license.skip.mounted":     "лицензию по смонтированному диску не определить (gmu-doctor не запускает программы проверяемого диска); на самой рабочей станции выполните: %s",
		"readers.summary.mounted":      "по смонтированному диску не определить",
		"readers.note.mounted-package": "установлен ли пакет %s, по смонтированному диску не определить (%s); на самой рабочей станции выполните: %s",
		"readers.note.mounted-scan":    "список считывателей по смонтированному диску не получить (gmu-doctor не запускает программы проверяемого диска); на самой рабочей станции выполните: %s",
		"personal-certs.note.mounted":  "список контейнеров по смонтированному диску не получить (gmu-doctor не запускает программы проверяемого диска); на самой рабочей станции выполните: %s",
		"plugin.note.mounted-package":  "версию пакета %s по смонтированному диску не определить (%s)",
	})
}
