// The chat simulator's page: sends each message to /simulator/send and shows the reply as WeChat would.
// Text goes in with textContent only; the user id lives in sessionStorage, so each tab is one resident.
(function () {
  "use strict";

  var phone = document.getElementById("phone");
  var messages = document.getElementById("messages");
  var follow = document.getElementById("follow");
  var input = document.getElementById("text");
  var queue = Promise.resolve();

  function userId() {
    var id = sessionStorage.getItem("simulator-user");
    if (!id) {
      var bytes = new Uint8Array(12);
      crypto.getRandomValues(bytes);
      id = "oSim" + Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
      sessionStorage.setItem("simulator-user", id);
    }
    return id;
  }

  function add(element) {
    messages.appendChild(element);
    messages.scrollTop = messages.scrollHeight;
    return element;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // 【marks】 around the words that matched are shown bold, as the reply means them.
  function marked(node, text) {
    text.split(/(【[^】\n]*】)/).forEach(function (part) {
      if (!part) return;
      node.appendChild(/^【[^】\n]*】$/.test(part) ? element("b", "", part) : document.createTextNode(part));
    });
    return node;
  }

  function card(reply) {
    var link = element(reply.href ? "a" : "div", "card");
    if (reply.href) {
      link.href = reply.href;
      link.target = "_blank";
      link.rel = "noopener";
    }
    if (reply.picture) {  // WeChat shows a card's picture (PicUrl) above its title
      var picture = document.createElement("img");
      picture.src = reply.picture;
      picture.alt = "";
      link.appendChild(picture);
    }
    link.appendChild(element("strong", "", reply.title));
    link.appendChild(element("span", "", reply.description));
    return link;
  }

  // The reply takes the place of its "…" bubble; "success" (kind none) shows nothing, as on a phone.
  function settle(pending, node) {
    if (node) pending.replaceWith(node); else pending.remove();
    messages.scrollTop = messages.scrollHeight;
  }

  function view(reply) {
    if (reply.kind === "text") return marked(element("div", "msg bot"), reply.text);
    if (reply.kind === "news") return card(reply);
    return null;
  }

  function send(payload) {
    queue = queue.then(function () {
      var pending = add(element("div", "msg bot pending", "…"));
      payload.user = userId();
      return fetch(phone.dataset.sendUrl, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify(payload)
      }).then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || response.statusText);
          settle(pending, view(body));
        });
      }).catch(function (error) {
        settle(pending, element("p", "note", "发送失败：" + error.message));
      });
    });
  }

  function setFollowing(following) {
    follow.dataset.following = String(following);
    follow.textContent = following ? "取消关注" : "关注";
    sessionStorage.setItem("simulator-following", String(following));
  }

  document.getElementById("compose").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) return;
    input.value = "";
    add(element("div", "msg me", text));
    send({type: "text", content: text});
  });

  document.querySelectorAll(".menu button").forEach(function (button) {
    button.addEventListener("click", function () {
      add(element("p", "note", "点击菜单“" + button.textContent + "”"));
      send({type: "event", event: "CLICK", key: button.dataset.key});
    });
  });

  follow.addEventListener("click", function () {
    var following = follow.dataset.following !== "true";
    setFollowing(following);
    add(element("p", "note", following ? "你关注了高新区头条" : "你取消了关注"));
    send({type: "event", event: following ? "subscribe" : "unsubscribe"});
  });

  setFollowing(sessionStorage.getItem("simulator-following") === "true");
  input.focus();
})();
