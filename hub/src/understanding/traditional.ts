/**
 * Traditional → Simplified character fold, applied by the normaliser to every CJK character (input text and every
 * dictionary phrase and registry name alike, so both sides meet in Simplified). A compact table of the characters
 * of home-control talk (devices, rooms, verbs, states, numbers, function words), not a full converter: a
 * character not listed passes through unchanged. Cantonese-only characters (嘅 啲 咗 冇 佢 喺) have no
 * Simplified form and stay as they are; the zh lexicon lists them.
 */
const PAIRS =
  // devices, parts and rooms
  '燈灯電电視视簾帘門门鎖锁窗窗戶户扇扇機机器器櫃柜潔洁掃扫塵尘濕湿溼湿乾干氣气調调設设風风臺台檯台' +
  '廳厅廚厨臥卧書书樓楼層层車车庫库閣阁園园館馆廁厕衛卫牆墙鈴铃鑰钥監监測测偵侦險险煙烟霧雾濾滤' +
  '儀仪錶表備备裝装閘闸擋挡檔档級级葉叶輪轮遙遥盒盒錄录劇剧遊游戲戏閥阀噴喷灑洒澆浇爐炉鍋锅壺壶飯饭' +
  '鏡镜櫥橱階阶棟栋兒儿嬰婴寶宝輩辈長长儲储藏藏帶带條条盞盏隻只組组張张專专輯辑喇喇聲声響响網网絡络' +
  '線线顯显腦脑傳传應应感感體体動动靜静磁磁瓦瓦漏漏罐罐纜缆插插頭头座座樁桩' +
  // the kinds of devices.ts adds: purifiers, mowers, sensors and meters
  '淨净檢检顆颗質质極极勁劲' +
  // what sensors sense and report (traits/readings.ts): networks, gas, noise, faults, updates
  '聯联線线噪噪震震險险障障礙碍燃燃瓦瓦斯斯氮氮臭臭輻辐照照壓压雨雨' +
  // verbs and states
  '開开關关閉闭啟启運运轉转換换將将讓让給给請请幫帮還还過过變变選选擇择執执確确認认調调節节' +
  '暫暂繼继續续復复結结終终斷断滅灭熄熄歸归導导航航規规劃划護护進进來来撥拨跳跳' +
  '熱热涼凉凍冻燒烧暖暖壓压陽阳陰阴頂顶滿满強强減减漲涨擴扩輕轻悶闷' +
  // colours and modes
  '紅红綠绿藍蓝黃黄顏颜淺浅羅罗蘭兰製制標标準准節节經经濟济環环織织純纯絲丝綢绸纖纤維维滾滚' +
  // numbers, units, time
  '兩两萬万億亿幾几數数點点鐘钟時时間间計计鬧闹攝摄華华號号碼码頻频' +
  // function words, questions and politeness
  '們们個个這这裡里裏里麼么嗎吗沒没無无與与後后對对為为於于當当現现實实際际會会夠够該该須须' +
  '謝谢煩烦問问題题訴诉詢询樣样誰谁邊边處处區区側侧態态狀状況况據据總总統统並并順顺隨随' +
  '別别棄弃說说講讲話话語语聽听讀读閱阅訊讯聞闻報报樂乐歡欢圖图幹干嘛嘛囉啰喲哟誒诶較较' +
  '單单雙双覺觉離离購购飲饮餐餐餘余剩剩續续驗验權权種种類类邏逻輯辑啓启閃闪爍烁亮亮暗暗' +
  '著着佈布蓋盖廣广東东衝冲鬆松' +
  '溫温圍围場场寵宠隱隐蘋苹連连發发籬篱餵喂欄栏腳脚恆恒創创佔占' +
  '溫温頁页鄰邻雜杂議议傢家擊击鍵键盤盘寫写錯错筆笔' +
  // Cantonese characters with a Simplified form
  '閂闩係系該该細细';

const FOLD_TS = new Map<number, string>();
for (const ch of Array.from(PAIRS).reduce<string[][]>((acc, c, i) => {
  if (i % 2 === 0) acc.push([c]);
  else acc[acc.length - 1]!.push(c);
  return acc;
}, [])) {
  const [t, s] = ch as [string, string];
  if (t !== s) FOLD_TS.set(t.charCodeAt(0), s);
}

/** The Simplified form of a Traditional character, or undefined when the table has none. */
export const simplifiedOf = (code: number): string | undefined => FOLD_TS.get(code);

/**
 * Simplified characters that stay as they are in Traditional replies: the same character in both scripts for the
 * words replies use (只能 "only", 控制, 家, 台, 表示, 系统; 乾/幹, 隻, 傢, 檯, 錶, 係 fit other words).
 */
const KEEP_IN_TRADITIONAL = new Set(Array.from('只制家台布表系干占'));

/** Simplified → Traditional for reply text: the table read backwards, the first Traditional form of each. */
const TO_TRADITIONAL = new Map<string, string>();
for (const [t, s] of FOLD_TS) {
  const simp = s;
  if (!TO_TRADITIONAL.has(simp) && !KEEP_IN_TRADITIONAL.has(simp)) TO_TRADITIONAL.set(simp, String.fromCharCode(t));
}
// replies use characters that commands rarely do
for (const [s, t] of Object.entries(REPLY_PAIRS())) if (!TO_TRADITIONAL.has(s)) TO_TRADITIONAL.set(s, t);

/** Reply text in Traditional characters (character by character; characters without a pair pass through). */
export function toTraditional(text: string): string {
  let out = '';
  for (const ch of text) out += TO_TRADITIONAL.get(ch) ?? ch;
  return out;
}

function REPLY_PAIRS(): Record<string, string> {
  const pairs = '嗶哔範范內内約约敗败誤误輸输軟软鮮鲜額额質质優优飛飞藝艺騰腾許许爾尔趕赶貓猫靈灵滌涤僅仅勁劲絨绒丟丢見见紗纱廂厢膽胆樞枢';
  const out: Record<string, string> = {};
  const cs = Array.from(pairs);
  for (let i = 0; i + 1 < cs.length; i += 2) out[cs[i + 1]!] = cs[i]!;
  return out;
}
