"""Chinese toxicity seed lines. toxic: insults aimed at a person, threats, and contempt for people by region,
race, gender or other group. not_toxic: ordinary chat, civil criticism, swearing at things rather than people,
and talk about regions, races and genders without contempt (including speaking against discrimination).
Written for this project; no real person is named."""
from common import Pool, fill

REGION = Pool(["河南人", "东北人", "上海人", "广东人", "北京人", "四川人", "农村人", "外地人", "山东人", "湖南人",
               "新疆人", "福建人", "江西人", "安徽人", "温州人"])
RACE = Pool(["黑人", "白人", "日本人", "印度人", "非洲人", "阿三", "老外", "韩国人", "越南人", "犹太人"])
GENDER = Pool(["女人", "男人", "女司机", "女权", "男的", "女的", "同性恋", "剩女", "直男", "小仙女"])
GROUP_BAD = Pool([
    "都是骗子", "素质太低了", "没一个好东西", "就是低等民族", "全是小偷", "脑子都有问题", "就该滚出去",
    "只会占便宜", "又懒又蠢", "都该被赶走", "天生就是劣等的", "真让人恶心", "就是社会的毒瘤",
    "全都不要脸", "不配有人权", "一个比一个贱", "就知道偷鸡摸狗", "满嘴谎话",
])
GENDER_BAD = Pool([
    "就该待在家里做饭", "开车就是马路杀手", "都是拜金的", "没有脑子", "就是贱", "只配当生育工具",
    "都是渣男", "全是普信男", "就会装可怜", "不配读书", "都是绿茶婊", "就是欠打",
])
INSULT = Pool(["傻逼", "废物", "脑残", "垃圾", "白痴", "蠢货", "人渣", "贱人", "智障", "败类", "狗东西", "畜生",
               "神经病", "猪脑子", "死妈玩意", "臭傻X", "贱货", "杂种", "窝囊废", "喷子"])
YOU = Pool(["你", "你这个", "楼上", "你们这些", "这个主播", "这个客服", "博主", "你个", "这种人", "那个司机"])
THREAT = Pool([
    "信不信我弄死你", "出门小心点", "我知道你住哪", "你给我等着", "早晚让你好看", "去死吧", "小心我打断你的腿",
    "全家都不得好死", "再说一句试试", "让你吃不了兜着走", "我要让你付出代价", "赶紧去跳楼吧",
])
ATTACK = Pool([
    "滚回你老家去", "闭嘴吧你", "脑子被驴踢了吧", "有病就去治", "你妈没教你做人吗", "你也配说话",
    "真是丢人现眼", "恶心死了", "一看就是没文化的", "别在这丢人了", "给我滚", "少在这放屁",
])

# --- not toxic ---------------------------------------------------------------------------------------
TOPIC_FINE = Pool([
    "地域歧视要不得，哪里都有好人坏人", "我觉得不能因为一个人就否定一个地方的人", "男女平等是最基本的",
    "女司机和男司机出事故的比例其实差不多", "河南的烩面真好吃", "东北人说话很有意思", "我的室友是广东人，人很好",
    "每个民族都有自己的文化", "黑人朋友教我打篮球", "歧视别人的人最没素质", "农村出来的孩子也很优秀",
    "外地人来这里打工也不容易", "女性在职场上确实面临更多压力", "男人也有哭的权利", "同性恋也是普通人",
    "不要给任何群体贴标签", "上海的早餐种类很多", "四川火锅是我的最爱", "日本动画做得很好",
    "非洲有很多美丽的国家", "这个问题很复杂，不能一概而论", "看到这种歧视言论真的很难过",
    "举报了那个骂人的评论", "我是新疆人，欢迎大家来玩", "性别不应该决定一个人能做什么",
    "很多外国留学生中文说得很好", "山东人真的很热情", "湖南菜太辣了但是很好吃",
    "女权是争取平等，不是特权", "各地的方言都很有特色", "种族歧视在哪个国家都存在，需要正视",
    "我妈开车比我爸还稳", "剩女这个词本身就有问题", "直男也可以很细心",
])
CHAT_FINE = Pool([
    "今天天气真好", "你好，请问在吗", "谢谢你的帮助", "明天一起吃饭吧", "这个游戏太好玩了", "恭喜你找到新工作",
    "周末去爬山", "晚上看球吗", "我的快递到哪里了", "帮我取消订单", "生日快乐！", "哈哈哈笑死我了",
    "这猫也太可爱了", "加油，你可以的", "辛苦了", "好的，马上到", "这首歌太好听了", "今天加班到十点",
])
CIVIL_CRITIC = Pool([
    "这个政策我不太认同", "服务太差了，我要投诉", "这部电影真的很烂", "你的观点我不同意", "裁判这个判罚有问题",
    "这家店的菜太难吃了", "产品质量太差了", "这种做法不太合适吧", "文章写得有点偏颇", "客服效率太低了",
    "这个设计太丑了", "价格太贵了，不值",
])
SWEAR_FINE = Pool([
    "卧槽，这球进得太漂亮了", "我去，又堵车了", "妈的，钥匙又忘带了", "我靠，这也太好吃了吧", "累死我了",
    "气死了，电脑又死机了", "他妈的，这题太难了", "卧槽，下雪了", "这天气真是见鬼了", "我的天，帅炸了",
])
OPENER = Pool(["", "", "", "说实话，", "讲真，", "呵呵，", "哈哈，", "我觉得"], shared=True)

TEMPLATES = {
    "toxic": Pool([
        "{region}{group_bad}", "{race}{group_bad}", "{gender}{gender_bad}", "{you}{insult}", "{you}{insult}，{attack}",
        "{attack}，{insult}", "{threat}", "{threat}，{insult}", "{region}{group_bad}，{attack}", "所有{region}{group_bad}",
        "{race}{group_bad}，{attack}", "果然是{region}，{group_bad}", "{gender}{gender_bad}，{insult}",
        "{you}{insult}，{threat}", "就你这样的{insult}也配说话", "{attack}", "{insult}！{attack}",
        "我就说{race}{group_bad}", "{gender}{gender_bad}，不服来辩",
    ]),
    "not_toxic": Pool([
        "{topic_fine}", "{topic_fine}", "{topic_fine}", "{chat_fine}", "{civil_critic}", "{swear_fine}",
        "{topic_fine}，{chat_fine}", "{civil_critic}，{civil_critic}", "{swear_fine}，{chat_fine}", "{topic_fine}。{topic_fine}",
    ]),
}
SLOTS = {
    "region": REGION, "race": RACE, "gender": GENDER, "group_bad": GROUP_BAD, "gender_bad": GENDER_BAD,
    "insult": INSULT, "you": YOU, "threat": THREAT, "attack": ATTACK, "topic_fine": TOPIC_FINE,
    "chat_fine": CHAT_FINE, "civil_critic": CIVIL_CRITIC, "swear_fine": SWEAR_FINE,
}


def line(label, rnd, split):
    return OPENER.pick(rnd, split) + fill(TEMPLATES[label].pick(rnd, split), SLOTS, rnd, split)
