#!/usr/bin/env python3
"""Prints each failed test of the given .trx files with the first lines of its message, so a
failure is named near the end of a long log."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", NS):
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS)
        lines = [line for line in message.strip().splitlines() if line.strip()][:6]
        print(f"[test] FAILED {result.get('testName')}")
        for line in lines:
            print(f"[test]     {line[:300]}")
