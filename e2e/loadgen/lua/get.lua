-- A signed-in GET: the session cookie made by loadgen's sign-in, nothing else.
wrk.headers["Cookie"] = os.getenv("LOADRUN_COOKIE")
