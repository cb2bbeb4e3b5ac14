"""The commercial registration system (商事登记) as a SOAP WebService: market entities' establishments, changes and
deregistrations (设立 / 变更 / 注销), read incrementally by change number."""
