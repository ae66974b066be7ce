// The editors' desk: every action is a call to the /admin API with the token kept in this tab's sessionStorage.
// Data goes into the page with textContent only.
(function () {
  "use strict";

  var desk = document.getElementById("desk");
  var urls = {issues: desk.dataset.issuesUrl, reindex: desk.dataset.reindexUrl, stats: desk.dataset.statsUrl};
  var statusLine = document.getElementById("status");
  var uploadForm = document.getElementById("upload-form");
  var publishButton = document.getElementById("publish");
  var previewBox = document.getElementById("preview");
  var KINDS = {story: "报道", photo: "图片新闻", brief: "简讯"};

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
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

  function api(method, url, body) {
    return fetch(url, {method: method, headers: {"Authorization": "Bearer " + token()}, body: body})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.status === 401) {
            sessionStorage.removeItem("admin-token");
            showDesk(false);
          }
          if (!response.ok) throw new Error(data.error || ("HTTP " + response.status));
          return data;
        });
      });
  }

  function failed(error) { say(error.message, true); }

  // -- issues ------------------------------------------------------------------------------------------------

  function renderPreview(result) {
    previewBox.replaceChildren();
    previewBox.appendChild(element("h3", result.date + " · " + result.name + " · " + result.count + " 篇"));
    result.articles.forEach(function (article) {
      var box = element("article", null, "article");
      var title = article.subtitle ? article.subtitle + " | " + article.title : article.title;
      box.appendChild(element("h4", article.ordinal + ". " + title));
      var meta = [KINDS[article.kind] || article.kind, article.byline || "无署名",
                  article.event_date ? "事件日期 " + article.event_date : "无事件日期"];
      box.appendChild(element("p", meta.join(" · "), "meta"));
      article.opening.forEach(function (line) { box.appendChild(element("p", line, "opening")); });
      previewBox.appendChild(box);
    });
  }

  function sendIssue(dryRun) {
    var url = urls.issues + (dryRun ? "?dry_run=1" : "");
    return api("POST", url, new FormData(uploadForm));
  }

  uploadForm.addEventListener("submit", function (event) {
    event.preventDefault();
    publishButton.disabled = true;
    say("正在解析…");
    sendIssue(true).then(function (result) {
      renderPreview(result);
      publishButton.disabled = false;
      say("解析出 " + result.count + " 篇，请核对后点“发布”。");
    }).catch(function (error) { previewBox.replaceChildren(); failed(error); });
  });

  uploadForm.addEventListener("input", function () { publishButton.disabled = true; });

  publishButton.addEventListener("click", function () {
    publishButton.disabled = true;
    say("正在发布…");
    sendIssue(false).then(function (result) {
      say("已发布 " + result.date + " 这一期，共 " + result.count + " 篇。");
      previewBox.replaceChildren();
      uploadForm.reset();
      loadIssues();
    }).catch(failed);
  });

  function removeIssue(issue) {
    if (!window.confirm("删除 " + issue.date + " 这一期（" + issue.count + " 篇）？")) return;
    api("DELETE", urls.issues + "/" + encodeURIComponent(issue.date)).then(function () {
      say("已删除 " + issue.date + " 这一期。");
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
        var cell = element("td");
        var button = element("button", "删除");
        button.type = "button";
        button.addEventListener("click", function () { removeIssue(issue); });
        cell.appendChild(button);
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

  // -- statistics --------------------------------------------------------------------------------------------

  function table(headings, rows) {
    var node = element("table");
    var head = node.appendChild(element("thead")).appendChild(element("tr"));
    headings.forEach(function (text) { head.appendChild(element("th", text)); });
    var body = node.appendChild(element("tbody"));
    rows.forEach(function (cells) {
      var row = body.appendChild(element("tr"));
      cells.forEach(function (text) { row.appendChild(element("td", String(text))); });
    });
    if (!rows.length) body.appendChild(element("tr")).appendChild(element("td", "暂无"));
    return node;
  }

  function loadStats() {
    return api("GET", urls.stats).then(function (data) {
      var box = document.getElementById("stats");
      box.replaceChildren();
      var rate = data.cache.hit_rate === null ? "暂无" : Math.round(data.cache.hit_rate * 100) + "%";
      box.appendChild(element("p", "缓存命中率：" + rate + "（命中 " + data.cache.hits + "，未命中 " + data.cache.misses + "）"));
      box.appendChild(element("h3", "每天的消息数"));
      box.appendChild(table(["日期", "消息"], data.messages_per_day.map(function (d) { return [d.date, d.messages]; })));
      box.appendChild(element("h3", "问得最多的"));
      box.appendChild(table(["问题", "次数"], data.top_queries.map(function (q) { return [q.query, q.count]; })));
      box.appendChild(element("h3", "没有找到答案的"));
      box.appendChild(table(["问题", "次数"], data.unanswered_queries.map(function (q) { return [q.query, q.count]; })));
    });
  }

  document.getElementById("refresh-stats").addEventListener("click", function () { loadStats().catch(failed); });

  // -- the token ---------------------------------------------------------------------------------------------

  function enter() {
    return loadIssues().then(function () {
      showDesk(true);
      say("");
      return loadStats();
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
    showDesk(false);
    say("已退出。");
  });

  if (token()) enter();
})();
