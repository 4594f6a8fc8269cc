package io.stresslab.reports;

/** The report's inline style sheet: system fonts only, readable at laptop width (1366 px). */
final class Style {
    static final String CSS = """
            *{box-sizing:border-box}
            body{margin:0 auto;max-width:1320px;padding:0 20px 40px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",
            Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#fff}
            code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
            a{color:#0969da}
            .verdict{margin:12px 0 6px;padding:10px 18px;border-left:10px solid;border-radius:6px}
            .verdict.pass{background:#dafbe1;border-color:#1a7f37}
            .verdict.fail{background:#ffebe9;border-color:#cf222e}
            .verdict.empty{background:#fff8c5;border-color:#9a6700}
            .verdict .title{font-size:13px;color:#59636e;text-transform:uppercase;letter-spacing:.04em}
            .verdict h1{margin:2px 0 8px;font-size:24px;line-height:1.25}
            .verdict .state{display:inline-block;padding:1px 10px;border-radius:4px;color:#fff;font-size:20px;
            margin-right:6px}
            .verdict.pass .state{background:#1a7f37}.verdict.fail .state{background:#cf222e}
            .verdict.empty .state{background:#9a6700}
            .verdict .meta{margin:6px 0 0;color:#59636e;font-size:12px;overflow-wrap:anywhere}
            .failures{margin:4px 0;padding-left:20px;font-weight:600}.failures a{color:#a40e26}
            svg text{font:12px system-ui,sans-serif;fill:#1f2328}svg .title{font-weight:600}
            svg .axis{fill:#59636e;font-size:11px}svg .small{font-size:10px}
            .charts.compare{margin:4px 0 10px;padding:8px 10px;border:1px dashed #d1d9e0;border-radius:6px}
            nav{margin:6px 0 4px;font-size:13px}
            #matrix h2{margin-top:10px}#matrix .note{margin:4px 0 6px}
            h2{margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid #d1d9e0;font-size:20px}
            h3{font-size:15px;margin:0 0 4px}h4{margin:10px 0 4px;font-size:13px}
            .note{color:#59636e;font-size:12px}
            .scroll{overflow-x:auto}
            table{border-collapse:collapse}
            th,td{border:1px solid #d1d9e0;padding:4px 7px;vertical-align:top;text-align:left}
            thead th{background:#f6f8fa;font-size:12px}
            table.matrix{width:100%;table-layout:fixed}
            table.matrix thead th:first-child{width:25%}table.matrix th[scope=row]{font-weight:600}
            table.matrix .bugtitle{display:block;font-weight:400;font-size:12px;line-height:1.3;color:#59636e}
            td.cell{font-size:12px;padding:3px 5px}td.cell.none{text-align:center;color:#8c959f;vertical-align:middle}
            .side{padding:0 5px;border-radius:3px;margin:2px 0;white-space:nowrap;overflow:hidden;
            text-overflow:ellipsis}
            .side.pass{background:#dafbe1;color:#116329}.side.fail,.side.error{background:#cf222e;color:#fff}
            .side.skipped{background:#eaeef2;color:#59636e}.side.none{color:#8c959f}
            .side.flaky{background:#fff8c5;color:#7d4e00}.side .detection{font-weight:normal;opacity:.85}
            .bug .mechanism{max-width:1000px;margin:4px 0 12px}
            .record{border:1px solid #d1d9e0;border-left:6px solid;border-radius:6px;padding:10px 14px;margin:10px 0}
            .record.pass{border-left-color:#1a7f37}.record.fail,.record.error{border-left-color:#cf222e;
            background:#fff8f7}.record.skipped{border-left-color:#8c959f}
            .badge{display:inline-block;padding:0 7px;border-radius:3px;color:#fff;font-size:12px;font-weight:700}
            .badge.pass{background:#1a7f37}.badge.fail,.badge.error{background:#cf222e}\
            .badge.skipped{background:#8c959f}
            .summary{margin:2px 0;font-weight:500;overflow-wrap:anywhere}\
            .facts{margin:2px 0;color:#59636e;font-size:12px}
            .metrics{display:flex;flex-wrap:wrap;gap:12px 28px;align-items:flex-start;margin:8px 0}
            .charts{display:flex;flex-wrap:wrap;gap:10px 28px}
            table.kv th{background:#f6f8fa;font-weight:500}table.kv td,table.kv th{font-size:12px}
            .kvs{display:flex;flex-wrap:wrap;gap:4px 6px;align-content:flex-start;max-width:760px}
            .metric{border:1px solid #d1d9e0;border-radius:4px;padding:1px 7px;font-size:12px;background:#f6f8fa}
            .metric b{font-weight:500;color:#59636e}
            .ev{margin:4px 0;font-size:13px;overflow-wrap:anywhere}.ev b{font-weight:600}
            ul.items{margin:2px 0;padding-left:20px;font-family:ui-monospace,monospace;font-size:12px}
            pre{background:#f6f8fa;border:1px solid #d1d9e0;border-radius:4px;padding:8px;overflow:auto;
            max-height:420px;white-space:pre}
            .waits{margin:4px 0;padding-left:20px;font-family:ui-monospace,monospace;font-size:12px;font-weight:600;
            color:#a40e26}
            .deadlock{color:#a40e26;font-weight:700}
            details summary{cursor:pointer;color:#0969da;font-size:12px}
            table.rows td{font-family:ui-monospace,monospace;font-size:12px}table.rows th{font-size:12px}
            pre.wrap{white-space:pre-wrap;overflow-wrap:anywhere}
            table.jmh td{font-size:12px}table.jmh .ci{color:#59636e}td.ratio{font-weight:700;white-space:nowrap}\
            td.sig{font-weight:700}td.nsig{color:#59636e}
            tr.ceiling td{background:#f6f8fa}tr.geomean td{font-weight:700;background:#f6f8fa}
            footer{margin-top:32px;color:#8c959f;font-size:12px}
            """;

    private Style() {
    }
}
