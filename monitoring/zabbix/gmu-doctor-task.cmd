@echo off
rem Creates the hourly scheduled task that writes the gmu-doctor report for
rem the Zabbix agent (Way 1 of userparameter_gmu_doctor_windows.conf).
rem Run once as Administrator; the task runs as the user named in /RU (the
rem user who signs) and asks for their password.
set DIR=C:\ProgramData\gmu-doctor
if not exist "%DIR%" mkdir "%DIR%"
rem The report goes to a temporary file first: the agent never reads half a report.
> "%DIR%\run.cmd" echo @"C:\Program Files\gmu-doctor\gmu-doctor.exe" check --format json --lang en ^> "%DIR%\report.json.tmp"
>> "%DIR%\run.cmd" echo @move /Y "%DIR%\report.json.tmp" "%DIR%\report.json" ^>nul
schtasks /Create /F /TN "gmu-doctor report" /SC HOURLY /RU "%USERDOMAIN%\%USERNAME%" /RP * /TR "\"%DIR%\run.cmd\""
