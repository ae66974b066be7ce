// The editors' desk: every action is a call to the /admin API with the token kept in this tab's sessionStorage.
// Data goes into the page with textContent only; charts arrive as SVG images fetched with the token.
//
// The editor (preview of an upload, or a published issue) keeps the editor's corrections as a list of operations,
// exactly as the API takes them: field edits change the page at once; a split, a merge or a drop asks the server
// to apply the whole list again (writing nothing) and shows its answer, so what is published is what was shown.
(function () {
  "use strict";

  var desk = document.getElementById("desk");
  var urls = {
    issues: desk.dataset.issuesUrl, reindex: desk.dataset.reindexUrl, stats: desk.dataset.statsUrl,
    ask: desk.dataset.askUrl, synonyms: desk.dataset.synonymsUrl, offTopic: desk.dataset.offTopicUrl,
    conventions: desk.dataset.conventionsUrl
  };
  var statusLine = document.getElementById("status");
  var uploadForm = document.getElementById("upload-form");
  var dateInput = document.getElementById("date");
  var editorBox = document.getElementById("editor");
  var articlesBox = document.getElementById("articles");
  var publishButton = document.getElementById("publish");
  var undoButton = document.getElementById("undo");

  var KINDS = {story: "报道", photo: "图片新闻", brief: "简讯"};
  var LABELS = {
    furniture: "版面杂项", kicker: "引题", headline: "标题", deck: "副题", byline: "署名", lead: "导语",
    body: "正文", end_credit: "文末署名", caption: "图片说明", credit: "图片署名", column: "栏目",
    brief_title: "简讯标题", brief: "简讯"
  };
  var SOURCES = {desk: "编辑台", api: "API", cli: "命令行"};
  // The fields an editor edits, in the API's names, with how the desk shows them. An emptied ``nullable`` field is
  // sent in the edit's ``clear`` list; an emptied text field as "" (a title cannot be emptied).
  var FIELDS = [
    {name: "title", label: "标题", wide: true},
    {name: "kicker", label: "引题"},
    {name: "subtitle", label: "副题"},
    {name: "kind", label: "类型", kind: true},
    {name: "reporters", label: "记者", names: true, nullable: true},
    {name: "correspondents", label: "通讯员", names: true, nullable: true},
    {name: "photographer", label: "摄影", nullable: true},
    {name: "event_date", label: "事件日期", date: true, nullable: true}
  ];
  var FIELD_LABELS = {};
  FIELDS.forEach(function (field) { FIELD_LABELS[field.name] = field.label; });
  // A photo's thumbnail, as the API sends it: a small JPEG the server made, inline.
  var PHOTO = /^data:image\/jpeg;base64,[A-Za-z0-9+\/=]+$/;
  // How far from today an issue date may be before the desk asks whether it is meant.
  var AHEAD_DAYS = 30, BEHIND_DAYS = 365;

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function button(text, action, className) {
    var node = element("button", text, className);
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  function say(text, isError) {
    statusLine.textContent = text;
    statusLine.className = "status" + (isError ? " error" : "");
  }

  function token() { return sessionStorage.getItem("admin-token") || ""; }

  function showDesk(open) {
    document.getElementById("login").hidden = open;
    document.getElementById("work").hidden = !open;
  }

  function request(method, url, body, json) {
    var headers = {"Authorization": "Bearer " + token()};
    if (json) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    return fetch(url, {method: method, headers: headers, body: body}).catch(function () {
      throw new Error("连接不上服务器，请检查网络后重试。");
    }).then(function (response) {
      if (response.status === 401) {
        sessionStorage.removeItem("admin-token");
        showDesk(false);
      }
      return response;
    });
  }

  // The API answers JSON, errors too: {"code": ..., "error": <Chinese>}.
  function api(method, url, body, json) {
    return request(method, url, body, json).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new Error(data.error || ("请求失败（HTTP " + response.status + "）"));
        return data;
      });
    });
  }

  function failed(error) { say(error.message, true); }

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function isoDate(day) { return day.getFullYear() + "-" + pad(day.getMonth() + 1) + "-" + pad(day.getDate()); }

  // -- the issue date ----------------------------------------------------------------------------------------

  // 2026-05-12.txt, 2026_5_12, 2026.05.12, 20260512.txt, 2026年5月12日.txt (a real date, not inside a longer number).
  var DATE_IN_NAME = [
    /(?:^|\D)(\d{4})[-_.](\d{1,2})[-_.](\d{1,2})(?!\d)/,
    /(?:^|\D)(\d{4})(\d{2})(\d{2})(?!\d)/,
    /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/
  ];

  function dateInName(name) {
    for (var n = 0; n < DATE_IN_NAME.length; n++) {
      var match = DATE_IN_NAME[n].exec(name);
      if (!match) continue;
      var day = new Date(+match[1], +match[2] - 1, +match[3]);
      if (day.getFullYear() === +match[1] && day.getMonth() === +match[2] - 1 && day.getDate() === +match[3]) {
        return isoDate(day);
      }
    }
    return null;
  }

  document.getElementById("file").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) return;
    var found = dateInName(file.name);
    dateInput.value = found || isoDate(new Date());
  });

  // Days from today to the date ``text`` names (negative: in the past).
  function daysFromToday(text) {
    var parts = text.split("-");
    var day = new Date(+parts[0], +parts[1] - 1, +parts[2]);
    var now = new Date();
    var today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
    return Math.round((day - today) / 86400000);
  }

  function dateIsMeant(text) {
    var days = daysFromToday(text);
    if (days > AHEAD_DAYS) {
      return window.confirm("出版日期 " + text + " 在今天之后 " + days + " 天。日期对吗？");
    }
    if (days < -BEHIND_DAYS) {
      return window.confirm("出版日期 " + text + " 在今天之前 " + (-days) + " 天。日期对吗？");
    }
    return true;
  }

  // -- the editor --------------------------------------------------------------------------------------------

  // mode "upload": the preview of the chosen file; mode "published": an issue of the archive.
  var editor = null;

  function describe(op) {
    if (op.op === "split") return "第 " + op.article + " 篇在第 " + op.paragraph + " 段前拆分";
    if (op.op === "merge") return "第 " + op.article + " 篇与下一篇合并";
    if (op.op === "drop") return "删除第 " + op.article + " 篇";
    if (op.op === "reparse") return "用新的解析程序重新解析原文件" + (op.discarded ? "（放弃了 " + op.discarded + " 处修改）" : "");
    var parts = [];
    FIELDS.forEach(function (field) {
      var value = op[field.name];
      if (value === undefined || value === null) return;
      if (field.kind) value = KINDS[value] || value;
      if (field.names) value = value.join("、");
      parts.push(field.label + "改为“" + value + "”");
    });
    (op.clear || []).forEach(function (name) { parts.push("清空" + FIELD_LABELS[name]); });
    return "第 " + op.article + " 篇：" + parts.join("；");
  }

  function renderChanges() {
    var list = document.getElementById("changes");
    list.replaceChildren();
    editor.operations.forEach(function (op) { list.appendChild(element("li", describe(op))); });
    document.getElementById("changes-box").hidden = !editor.operations.length;
    undoButton.disabled = !editor.operations.length;
    if (editor.mode === "published") publishButton.disabled = !editor.operations.length;
  }

  function renderHistory(log) {
    var list = document.getElementById("history");
    list.replaceChildren();
    (log || []).forEach(function (entry) {
      var when = new Date(entry.at).toLocaleString("zh-CN", {hour12: false});
      list.appendChild(element("li", when + " · " + (SOURCES[entry.source] || entry.source) + " · " + describe(entry.change)));
    });
    document.getElementById("history-box").hidden = !(log && log.length);
  }

  function fieldValue(field, article) {
    var value = article[field.name];
    if (field.names) return (value || []).join("、");
    return value === null || value === undefined ? "" : value;
  }

  // The editor changed a field: record it as an edit (merged into the last one when that edits the same article).
  function edited(article, field, input) {
    var raw = input.value.trim();
    var op = {op: "edit", article: article.ordinal};
    var value = raw;
    if (field.names) value = raw.split(/[、,，\s]+/).filter(function (name) { return name; });
    var empty = field.names ? !value.length : !raw;
    if (empty && field.name === "title") {
      say("标题不能为空。", true);
      input.value = fieldValue(field, article);
      return;
    }
    var last = editor.operations[editor.operations.length - 1];
    if (last && last.op === "edit" && last.article === article.ordinal) op = last;
    else editor.operations.push(op);
    op.clear = (op.clear || []).filter(function (name) { return name !== field.name; });
    delete op[field.name];
    if (empty && field.nullable) op.clear.push(field.name);
    else op[field.name] = value;
    if (!op.clear.length) delete op.clear;
    article[field.name] = value;
    renderChanges();
    say("已记下修改，" + (editor.mode === "upload" ? "发布时一并生效。" : "点“保存修改”生效。"));
  }

  function fieldInput(field, article) {
    var input;
    if (field.kind) {
      input = element("select");
      Object.keys(KINDS).forEach(function (kind) {
        var option = element("option", KINDS[kind]);
        option.value = kind;
        input.appendChild(option);
      });
    } else {
      input = element("input");
      input.type = field.date ? "date" : "text";
      if (field.names) input.placeholder = "用顿号分隔";
    }
    input.value = fieldValue(field, article);
    input.dataset.field = field.name;
    input.addEventListener("change", function () { edited(article, field, input); });
    var label = element("label", field.label + " ", "field" + (field.wide ? " wide" : ""));
    label.appendChild(input);
    return label;
  }

  function structural(op) {
    editor.operations.push(op);
    refresh().catch(function (error) {
      editor.operations.pop();
      renderChanges();
      failed(error);
    });
  }

  function paragraphsView(article) {
    var paragraphs = article.body.split("\n").filter(function (text) { return text; });
    var details = element("details", null, "paragraphs");
    details.appendChild(element("summary", "全文（" + paragraphs.length + " 段）" + (paragraphs.length > 1 ? " · 可在段落之间拆分" : "")));
    paragraphs.forEach(function (text, n) {
      if (n > 0) {
        details.appendChild(button("✂ 在此拆分：第 " + (n + 1) + " 段起成为新的一篇", function () {
          structural({op: "split", article: article.ordinal, paragraph: n + 1});
        }, "split"));
      }
      details.appendChild(element("p", text, "paragraph"));
    });
    return {view: details, first: paragraphs[0] || ""};
  }

  function linesView(reading) {
    var details = element("details", null, "lines");
    details.open = reading.low;
    details.appendChild(element("summary", "解析的行和标签（" + reading.lines.length + " 行）"));
    var table = details.appendChild(element("table"));
    var head = table.appendChild(element("thead")).appendChild(element("tr"));
    ["行", "标签", "文字"].forEach(function (text) { head.appendChild(element("th", text)); });
    var body = table.appendChild(element("tbody"));
    reading.lines.forEach(function (line) {
      var row = body.appendChild(element("tr", null, "label-" + line.label));
      row.appendChild(element("td", String(line.number)));
      row.appendChild(element("td", LABELS[line.label] || line.label));
      row.appendChild(element("td", line.text));
    });
    return details;
  }

  function articleView(article, count) {
    var reading = article.reading;
    var box = element("article", null, "article" + (reading && reading.low ? " low" : ""));
    box.dataset.ordinal = article.ordinal;
    var header = box.appendChild(element("header"));
    header.appendChild(element("span", "第 " + article.ordinal + " 篇", "ordinal"));
    if (reading) {
      var percent = Math.round(reading.confidence * 100) + "%";
      header.appendChild(element("span", reading.low ? "置信度 " + percent + "，请核对" : "置信度 " + percent,
                                 reading.low ? "flag" : "confidence"));
    }
    var actions = header.appendChild(element("span", null, "actions"));
    var merge = actions.appendChild(button("与下一篇合并", function () {
      structural({op: "merge", article: article.ordinal});
    }, "merge"));
    merge.disabled = article.ordinal === count;
    var drop = actions.appendChild(button("删除本篇", function () {
      structural({op: "drop", article: article.ordinal});
    }, "drop"));
    drop.disabled = count === 1;
    if (article.thumbnail && PHOTO.test(article.thumbnail)) {
      var photo = box.appendChild(element("img", null, "thumbnail"));
      photo.src = article.thumbnail;
      photo.alt = "第 " + article.ordinal + " 篇的照片";
      photo.title = "随文发布的照片（来自版面 PDF）";
    }
    var fields = box.appendChild(element("div", null, "fields"));
    FIELDS.forEach(function (field) { fields.appendChild(fieldInput(field, article)); });
    var paragraphs = paragraphsView(article);
    box.appendChild(element("p", paragraphs.first.slice(0, 120), "opening"));
    box.appendChild(paragraphs.view);
    if (reading && reading.lines.length) box.appendChild(linesView(reading));
    return box;
  }

  function render(result) {
    editor.articles = result.articles;
    var low = result.articles.filter(function (article) { return article.reading && article.reading.low; }).length;
    var heading = editor.mode === "upload" ? "预览：" : "修改已发布的一期：";
    document.getElementById("editor-title").textContent = heading + result.date + " · " + result.name;
    document.getElementById("editor-summary").textContent = "共 " + result.articles.length + " 篇" +
      (low ? "，其中 " + low + " 篇解析置信度低（标红），请重点核对" : "") +
      "。标题、引题、副题、类型、署名和日期可直接修改；展开全文可在段落之间拆分。";
    articlesBox.replaceChildren();
    result.articles.forEach(function (article) { articlesBox.appendChild(articleView(article, result.articles.length)); });
    renderChanges();
  }

  // Ask the server for the issue as the operations make it (nothing is written) and show that.
  function refresh() {
    if (editor.mode === "upload") {
      return sendUpload(true).then(function (result) {
        // What the first preview would replace: publishing is refused if someone changes that date meanwhile.
        if (editor.version === null) editor.version = result.replaces;
        render(result);
      });
    }
    var url = urls.issues + "/" + encodeURIComponent(editor.date) + "/corrections?dry_run=1";
    var body = {corrections: editor.operations, version: editor.version, source: "desk"};
    if (!editor.operations.length) return openIssue(editor.date, true);
    return api("POST", url, body, true).then(render);
  }

  function sendUpload(dryRun) {
    var form = new FormData(uploadForm);
    form.set("corrections", JSON.stringify(editor.operations));
    form.set("source", "desk");
    if (!dryRun && editor.version !== null) form.set("replaces", editor.version);
    return api("POST", urls.issues + (dryRun ? "?dry_run=1" : ""), form);
  }

  function openEditor(mode, date) {
    editor = {mode: mode, date: date, version: null, operations: [], articles: []};
    publishButton.textContent = mode === "upload" ? "发布" : "保存修改";
    publishButton.disabled = mode === "published";
    renderHistory([]);
    editorBox.hidden = false;
  }

  function closeEditor() {
    editor = null;
    editorBox.hidden = true;
    articlesBox.replaceChildren();
  }

  uploadForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!dateIsMeant(dateInput.value)) {
      say("已取消：请检查出版日期。", true);
      return;
    }
    openEditor("upload", dateInput.value);
    say("正在解析…");
    refresh().then(function () {
      say("解析出 " + editor.articles.length + " 篇，请核对、修改后点“发布”。");
      editorBox.scrollIntoView();
    }).catch(function (error) { closeEditor(); failed(error); });
  });

  uploadForm.addEventListener("input", function () {
    if (editor && editor.mode === "upload") {
      closeEditor();
      say("文件、日期或名称变了，请重新预览。");
    }
  });

  publishButton.addEventListener("click", function () {
    publishButton.disabled = true;
    if (editor.mode === "upload") {
      say("正在发布…");
      sendUpload(false).then(function (result) {
        var corrected = editor.operations.length ? "（含 " + editor.operations.length + " 处修改）" : "";
        say("已发布 " + result.date + " 这一期，共 " + result.count + " 篇" + corrected + "。");
        closeEditor();
        uploadForm.reset();
        loadIssues();
      }).catch(function (error) { publishButton.disabled = false; failed(error); });
      return;
    }
    say("正在保存…");
    var url = urls.issues + "/" + encodeURIComponent(editor.date) + "/corrections";
    var count = editor.operations.length;
    api("POST", url, {corrections: editor.operations, version: editor.version, source: "desk"}, true).then(function (result) {
      return openIssue(result.date, true).then(function () {
        say("已保存 " + result.date + " 这一期的 " + count + " 处修改，读者马上就能搜到。");
        loadIssues();
      });
    }).catch(function (error) { publishButton.disabled = false; failed(error); });
  });

  undoButton.addEventListener("click", function () {
    var undone = editor.operations.pop();
    refresh().then(function () { say("已撤销：" + describe(undone)); }).catch(function (error) {
      editor.operations.push(undone);
      failed(error);
    });
  });

  document.getElementById("close-editor").addEventListener("click", function () {
    if (editor.operations.length && !window.confirm("放弃本次 " + editor.operations.length + " 处修改？")) return;
    closeEditor();
    say("");
  });

  // Open a published issue in the editor (``keep``: stay in the same editor, after a save or an undo to nothing).
  function openIssue(date, keep) {
    return api("GET", urls.issues + "/" + encodeURIComponent(date)).then(function (issue) {
      if (!keep || !editor) openEditor("published", date);
      editor.operations = [];
      editor.version = issue.version;
      render(issue);
      renderHistory(issue.log);
      return issue;
    });
  }

  // -- published issues --------------------------------------------------------------------------------------

  function removeIssue(issue) {
    if (!window.confirm("删除 " + issue.date + " 这一期（" + issue.count + " 篇）？")) return;
    api("DELETE", urls.issues + "/" + encodeURIComponent(issue.date)).then(function () {
      say("已删除 " + issue.date + " 这一期。");
      if (editor && editor.mode === "published" && editor.date === issue.date) closeEditor();
      loadIssues();
    }).catch(failed);
  }

  function loadIssues() {
    return api("GET", urls.issues).then(function (data) {
      var body = document.querySelector("#issues tbody");
      body.replaceChildren();
      data.issues.forEach(function (issue) {
        var row = element("tr");
        row.appendChild(element("td", issue.date));
        row.appendChild(element("td", issue.name));
        row.appendChild(element("td", String(issue.count)));
        row.appendChild(element("td", issue.corrections ? issue.corrections + " 处" : ""));
        var cell = element("td", null, "buttons");
        cell.appendChild(button("修改", function () {
          if (editor && editor.operations.length && !window.confirm("放弃正在编辑的 " + editor.operations.length + " 处修改？")) return;
          openIssue(issue.date).then(function () {
            say("已打开 " + issue.date + " 这一期，改完点“保存修改”。");
            editorBox.scrollIntoView();
          }).catch(failed);
        }));
        cell.appendChild(button("删除", function () { removeIssue(issue); }));
        row.appendChild(cell);
        body.appendChild(row);
      });
      if (!data.issues.length) body.appendChild(element("tr")).appendChild(element("td", "还没有发布任何一期。"));
    });
  }

  document.getElementById("refresh-issues").addEventListener("click", function () { loadIssues().catch(failed); });

  document.getElementById("reindex").addEventListener("click", function () {
    say("正在重建索引…");
    api("POST", urls.reindex).then(function (data) {
      say("索引已重建，共 " + data.articles + " 篇。");
    }).catch(failed);
  });

  // -- what residents ask ------------------------------------------------------------------------------------

  var answerBox = document.getElementById("answer");
  var synonymForm = document.getElementById("synonym-form");

  function searchThis(question) {
    api("POST", urls.ask, {question: question}, true).then(function (answer) {
      document.getElementById("answer-title").textContent = "读者问“" + question + "”时收到的回复：";
      document.getElementById("answer-reply").textContent = answer.reply;
      answerBox.hidden = false;
      answerBox.scrollIntoView({block: "nearest"});
    }).catch(failed);
  }

  function addWord(question) {
    document.getElementById("synonym-paper").value = "";
    document.getElementById("synonym-residents").value = question;
    synonymForm.hidden = false;
    document.getElementById("synonym-paper").focus();
  }

  var offTopicForm = document.getElementById("off-topic-form");

  function markOffTopic(question) {
    document.getElementById("off-topic-kind").value = "";
    document.getElementById("off-topic-words").value = question;
    offTopicForm.hidden = false;
    document.getElementById("off-topic-kind").focus();
  }

  // What an editor can do with a question of each list.
  var ACTIONS = {
    search: ["搜一下", searchThis],
    word: ["添加口语词", addWord],
    offTopic: ["不回答这类问题", markOffTopic]
  };

  function questionTable(rows, actions) {
    var node = element("table", null, "questions");
    var head = node.appendChild(element("thead")).appendChild(element("tr"));
    ["问题", "次数", "操作"].forEach(function (text) { head.appendChild(element("th", text)); });
    var body = node.appendChild(element("tbody"));
    rows.forEach(function (row) {
      var line = body.appendChild(element("tr"));
      var cell = line.appendChild(element("td", row.query, "question"));
      cell.title = row.query;
      line.appendChild(element("td", String(row.count), "number"));
      var cellActions = line.appendChild(element("td", null, "buttons"));
      actions.forEach(function (name) {
        cellActions.appendChild(button(ACTIONS[name][0], function () { ACTIONS[name][1](row.query); }));
      });
    });
    if (!rows.length) body.appendChild(element("tr")).appendChild(element("td", "暂无"));
    return node;
  }

  function loadCharts() {
    document.querySelectorAll("img.chart").forEach(function (image) {
      request("GET", image.dataset.url).then(function (response) {
        if (!response.ok) throw new Error("图表加载失败（HTTP " + response.status + "）");
        return response.blob();
      }).then(function (blob) {
        if (image.src) URL.revokeObjectURL(image.src);
        image.src = URL.createObjectURL(blob);
      }).catch(failed);
    });
  }

  function loadStats() {
    loadCharts();
    return api("GET", urls.stats).then(function (data) {
      var box = document.getElementById("stats");
      box.replaceChildren();
      var rate = data.cache.hit_rate === null ? "暂无" : Math.round(data.cache.hit_rate * 100) + "%";
      box.appendChild(element("p", "缓存命中率：" + rate + "（命中 " + data.cache.hits + "，未命中 " + data.cache.misses + "）"));
      box.appendChild(element("h3", "问得最多的"));
      box.appendChild(questionTable(data.top_queries, ["search", "offTopic"]));
      box.appendChild(element("h3", "没有找到答案的"));
      box.appendChild(questionTable(data.unanswered_queries, ["search", "word"]));
      box.appendChild(element("h3", "可能答非所问的"));
      box.appendChild(element("p", "回答了，但系统不太有把握：搜一下看看读者收到的回复；答错了，就添加口语词或设为不回答。", "hint"));
      box.appendChild(questionTable(data.doubtful_queries, ["search", "word", "offTopic"]));
    });
  }

  function loadSynonyms() {
    return api("GET", urls.synonyms).then(function (data) {
      var list = document.getElementById("synonyms");
      list.replaceChildren();
      data.groups.forEach(function (group) {
        var item = list.appendChild(element("li"));
        item.appendChild(element("b", group[0]));
        item.appendChild(document.createTextNode(" ← " + group.slice(1).join("、")));
      });
      if (!data.groups.length) list.appendChild(element("li", "还没有口语词。"));
    });
  }

  synonymForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var paper = document.getElementById("synonym-paper").value.trim();
    var residents = document.getElementById("synonym-residents").value.split(/[\s、,，]+/).filter(function (w) { return w; });
    api("POST", urls.synonyms, {words: [paper].concat(residents)}, true).then(function (data) {
      say("已添加口语词：" + data.group[0] + " ← " + data.group.slice(1).join("、"));
      synonymForm.hidden = true;
      return loadSynonyms();
    }).catch(failed);
  });

  document.getElementById("synonym-cancel").addEventListener("click", function () { synonymForm.hidden = true; });

  function loadOffTopic() {
    return api("GET", urls.offTopic).then(function (data) {
      var list = document.getElementById("off-topic");
      var names = document.getElementById("off-topic-kinds");
      list.replaceChildren();
      names.replaceChildren();
      data.kinds.forEach(function (row) {
        var item = list.appendChild(element("li"));
        item.appendChild(element("b", row.kind));
        item.appendChild(document.createTextNode("：" + row.words.join("、")));
        names.appendChild(element("option")).value = row.kind;
      });
      if (!data.kinds.length) list.appendChild(element("li", "还没有类别。"));
    });
  }

  offTopicForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var kind = document.getElementById("off-topic-kind").value.trim();
    var words = document.getElementById("off-topic-words").value.split(/[\s、,，]+/).filter(function (w) { return w; });
    api("POST", urls.offTopic, {kind: kind, words: words}, true).then(function (data) {
      say("已添加：" + data.kind + "（" + data.words.join("、") + "）");
      offTopicForm.hidden = true;
      return loadOffTopic();
    }).catch(failed);
  });

  document.getElementById("off-topic-cancel").addEventListener("click", function () { offTopicForm.hidden = true; });

  // -- the papers' conventions -------------------------------------------------------------------------------

  function loadConventions() {
    return api("GET", urls.conventions).then(function (data) {
      var select = document.getElementById("convention-list");
      var chosen = select.value;
      var words = document.getElementById("conventions");
      select.replaceChildren();
      words.replaceChildren();
      data.lists.forEach(function (list) {
        var option = select.appendChild(element("option", list.label));
        option.value = list.name;
        words.appendChild(element("dt", list.label));
        words.appendChild(element("dd", list.words.join("、")));
      });
      if (chosen) select.value = chosen;
    });
  }

  document.getElementById("convention-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var select = document.getElementById("convention-list");
    var word = document.getElementById("convention-word");
    api("POST", urls.conventions, {list: select.value, word: word.value}, true).then(function (data) {
      var label = select.options[select.selectedIndex].textContent;
      say("已添加“" + data.word + "”到" + label + (editorBox.hidden ? "。" : "。请重新上传预览，按新的写法解析。"));
      word.value = "";
      return loadConventions();
    }).catch(failed);
  });

  document.getElementById("refresh-stats").addEventListener("click", function () {
    loadStats().then(loadSynonyms).then(loadOffTopic).catch(failed);
  });

  // -- the token ---------------------------------------------------------------------------------------------

  function enter() {
    return loadIssues().then(function () {
      showDesk(true);
      say("");
      return loadStats().then(loadSynonyms).then(loadOffTopic).then(loadConventions);
    }).catch(failed);
  }

  document.getElementById("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem("admin-token", document.getElementById("token").value);
    document.getElementById("token").value = "";
    enter();
  });

  document.getElementById("logout").addEventListener("click", function () {
    sessionStorage.removeItem("admin-token");
    closeEditor();
    showDesk(false);
    say("已退出。");
  });

  if (token()) enter();
})();
