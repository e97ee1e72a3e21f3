<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="mn_Mong_CN" sourcelanguage="zh_CN">
  <context>
    <name>admin</name>
    <message>
      <source>系统管理</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>只有系统管理员可以打开系统管理</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>知道了</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>人员</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>窗口</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>失信名单</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>叫号语音</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>关闭</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>读取失败，请重试</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>操作失败，请重试</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>请确认</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>取消</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>在用</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>停用</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>（已锁定）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0} 号</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>启用(&amp;D)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>停用(&amp;D)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已添加 {0}（{1}）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已保存 {0}（{1}）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已重置 {0}（{1}）的密码</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>启用</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已{0} {1}（{2}）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>，并离开 {0} 号窗口</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>停用 {0}（{1}）？停用后不能登录{2}。</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已解锁 {0}（{1}）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>本大厅叫号屏、取号机、评价器、号票和文书蒙汉双语</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>（暂停叫号）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>全部 {0} 类业务</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>本大厅已设为蒙汉双语</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>本大厅已设为只用汉文</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已添加 {0} 号窗口 · {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已保存 {0} 号窗口 · {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已{0} {1} 号窗口 · {2}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>停用 {0} 号窗口（{1}）？停用后登录时不再提供该窗口。</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>按证件号码开头或原因查找（Ctrl+F）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>查找</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>只显示最新的 {0} 条，请输入证件号码或原因查找</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已更新 {0} 的列入原因</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已列入失信名单：{0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0} {1}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已从失信名单移除：{0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>从失信名单移除 {0}（{1}）？</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>移除</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>选择失信名单 CSV 文件</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>CSV 文件 (*.csv)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>所有文件 (*)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>正在导入 {0}…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>导入完成：新增 {0} 条，更新 {1} 条，失败 {2} 条</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>导入失败，请重试</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>请先登录</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>保存</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>保存时出现意外错误，请重试或联系技术支持</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>至少 {0} 位</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>两次输入的密码不一致</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>新增人员</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>修改人员</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>登录用的用户名，如 clerk07</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>用户名</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>姓名</source>
      <translation>ᠣᠪᠤᠭ ᠨᠡᠷ᠎ᠡ</translation>
    </message>
    <message>
      <source>角色</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>电话</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>密码</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>再次输入密码</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>重置密码</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>为 {0}（{1}）设置新密码；账号如被锁定，将一并解锁。</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>新密码</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>再次输入</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>修改密码</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>当前密码</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>新增窗口</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>修改窗口</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>如 综合受理、不动产登记</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>传统蒙古文，叫号屏上与汉文并列；没有可留空</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>尚未导入事项目录，没有可选的业务类别</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>窗口号</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>窗口名称</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>蒙古文名称</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>业务类别</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>添加到失信名单</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>修改失信原因</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>如 虚假承诺（2026-03 不动产登记）、法院失信被执行人</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>证件号码</source>
      <translation>ᠭᠡᠷᠡᠴᠢᠯᠡᠭᠡ ᠶᠢᠨ ᠳᠤᠭᠠᠷ</translation>
    </message>
    <message>
      <source>列入原因</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>麦克风无法打开：请检查它是否被其他程序占用，或在系统设置里允许使用麦克风</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>录音中断（麦克风出错：{0}），请检查麦克风后重试</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>提示音（两种语言共用）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>只看缺少的(&amp;M)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>语言：</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>录制或导入的片段保存在本机：{0}（覆盖随软件提供的片段）。大厅屏使用它所在电脑上的片段，请在那台电脑上录制或导入。蒙古语读法请按「拉丁转写」一栏朗读；蒙古语用词尚未经母语者审核。导入：文件夹里的 WAV 文件按「文件」一栏命名（也可放在 zh / mn 子文件夹里）。</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0}：共 {1} 个片段，缺少 {2} 个</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>，{0} 个暂用中文片段</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>（缺少时该语言不播报，只用中文叫号）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>等</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{0}缺少 {1} 个（{2}）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>叫号语音片段不全：{0}。缺少片段的语言叫号时不播报（中文照常播报）。请选中缺少的片段按「录音」，或用「导入文件夹」导入录好的 WAV 文件；勾选「只看缺少的」可列出全部。</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>停止录音(&amp;S)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>录音(&amp;R)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>无法播放：{0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>正在播放 {0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>正在录音：请读「{0}」{1}，读完按「停止录音」（最长 {2:.0f} 秒）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>录音没有保存：{0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已保存「{0}」的录音（{1}）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>选择放有 WAV 片段的文件夹</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>SyncBadge</name>
    <message>
      <source>立即同步</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>尚未同步</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已联网</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>离线（办件暂存本机）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>待发送 {n} 件</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>需处理 {n} 件</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>上次同步 {t}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>同步中…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>最近错误：{e}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>被枢纽拒收 {n} 件，请核对后更正</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>多次重试未成功、已暂停 {n} 件，请联系管理员</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>……另有 {n} 件</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>CameraView</name>
    <message>
      <source>选择摄像头</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>无可用摄像头</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>打开摄像头</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>拍照</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>没有摄像头时，读卡器和扫码枪照常可用。</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>摄像头未打开</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>关闭摄像头</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>摄像头无法使用：</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>未知原因</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>。请检查连接或换一个摄像头。</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>识别画面时出错：</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已识别：</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>还没有画面，无法拍照。</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已拍照 </source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>PdfPreview</name>
    <message>
      <source>缩小</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>放大</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>适合宽度</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>共 {0} 页　{1}%</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>PrintDialog</name>
    <message>
      <source>打印预览</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>选择打印机…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>重试</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>打印</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>关闭</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>打印机</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>纸张</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>份数</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>保存为 PDF 文件（无打印机）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>正在生成预览…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>无法预览：{0}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>正在打印…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>已打印：{0}（{1}）</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>补打</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>打印失败：{0}</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <source>设置</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>applicant</name>
    <message>
      <source>受理方式</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠠᠷᠭ᠎ᠠ</translation>
    </message>
    <message>
      <source>事项编码</source>
      <translation>ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠺᠣᠳ</translation>
    </message>
    <message>
      <source>办理结果</source>
      <translation>ᠪᠦᠲᠦᠭᠡᠭᠰᠡᠨ ᠦᠷ᠎ᠡ ᠳᠦᠨ</translation>
    </message>
    <message>
      <source>收费标准</source>
      <translation>ᠲᠥᠯᠪᠦᠷᠢ ᠶᠢᠨ ᠬᠡᠮᠵᠢᠶ᠎ᠡ</translation>
    </message>
    <message>
      <source>姓名</source>
      <translation>ᠣᠪᠤᠭ ᠨᠡᠷ᠎ᠡ</translation>
    </message>
    <message>
      <source>联系电话</source>
      <translation>ᠬᠣᠯᠪᠤᠭ᠎ᠠ ᠪᠠᠷᠢᠬᠤ ᠤᠲᠠᠰᠤ</translation>
    </message>
    <message>
      <source>住址</source>
      <translation>ᠰᠠᠭᠤᠭ᠎ᠠ ᠭᠠᠵᠠᠷ</translation>
    </message>
    <message>
      <source>联系人</source>
      <translation>ᠬᠣᠯᠪᠤᠭ᠎ᠠ ᠪᠠᠷᠢᠬᠤ ᠬᠦᠮᠦᠨ</translation>
    </message>
    <message>
      <source>代办人</source>
      <translation>ᠣᠷᠣᠯᠠᠨ ᠪᠦᠲᠦᠭᠡᠭᠴᠢ</translation>
    </message>
    <message>
      <source>单位名称</source>
      <translation>ᠠᠯᠪᠠᠨ ᠪᠠᠢᠭᠤᠯᠯᠠᠭ᠎ᠠ ᠶᠢᠨ ᠨᠡᠷ᠎ᠡ</translation>
    </message>
    <message>
      <source>统一社会信用代码</source>
      <translation>ᠨᠡᠶᠢᠭᠡᠮ ᠦᠨ ᠢᠲᠡᠭᠡᠯ ᠦᠨ ᠨᠡᠭᠡᠳᠦᠭᠰᠡᠨ ᠺᠣᠳ</translation>
    </message>
    <message>
      <source>法定代表人</source>
      <translation>ᠬᠠᠤᠯᠢ ᠶᠢᠨ ᠲᠥᠯᠥᠥᠭᠡᠯᠡᠭᠴᠢ</translation>
    </message>
    <message>
      <source>单位地址</source>
      <translation>ᠠᠯᠪᠠᠨ ᠪᠠᠢᠭᠤᠯᠯᠠᠭ᠎ᠠ ᠶᠢᠨ ᠬᠠᠶᠢᠭ</translation>
    </message>
    <message>
      <source>受理机构</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠪᠠᠢᠭᠤᠯᠯᠠᠭ᠎ᠠ</translation>
    </message>
    <message>
      <source>实施机构</source>
      <translation>ᠬᠡᠷᠡᠭᠯᠡᠭᠦᠯᠬᠦ ᠪᠠᠢᠭᠤᠯᠯᠠᠭ᠎ᠠ</translation>
    </message>
    <message>
      <source>受理人</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠬᠦᠮᠦᠨ</translation>
    </message>
    <message>
      <source>咨询电话</source>
      <translation>ᠯᠠᠪᠠᠯᠠᠬᠤ ᠤᠲᠠᠰᠤ</translation>
    </message>
    <message>
      <source>监督电话</source>
      <translation>ᠬᠢᠨᠠᠨ ᠬᠢᠨᠠᠬᠤ ᠤᠲᠠᠰᠤ</translation>
    </message>
    <message>
      <source>进度查询</source>
      <translation>ᠶᠠᠪᠤᠴᠠ ᠶᠢ ᠯᠠᠪᠠᠯᠠᠬᠤ</translation>
    </message>
    <message>
      <source>结果领取</source>
      <translation>ᠦᠷ᠎ᠡ ᠳᠦᠨ ᠢ ᠠᠪᠬᠤ</translation>
    </message>
    <message>
      <source>事项类型</source>
      <translation>ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠲᠥᠷᠦᠯ</translation>
    </message>
    <message>
      <source>编号</source>
      <translation>ᠳᠤᠭᠠᠷ</translation>
    </message>
    <message>
      <source>收件编号</source>
      <translation>ᠪᠠᠷᠢᠮᠲᠠ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠳᠤᠭᠠᠷ</translation>
    </message>
    <message>
      <source>受理时间</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠴᠠᠭ</translation>
    </message>
    <message>
      <source>接收时间</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠴᠠᠭ</translation>
    </message>
    <message>
      <source>承诺办结时限</source>
      <translation>ᠠᠮᠠᠯᠠᠭᠰᠠᠨ ᠪᠦᠲᠦᠭᠡᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ</translation>
    </message>
    <message>
      <source>法定办结时限</source>
      <translation>ᠬᠠᠤᠯᠢ ᠶᠢᠨ ᠪᠦᠲᠦᠭᠡᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ</translation>
    </message>
    <message>
      <source>证件号码</source>
      <translation>ᠭᠡᠷᠡᠴᠢᠯᠡᠭᠡ ᠶᠢᠨ ᠳᠤᠭᠠᠷ</translation>
    </message>
    <message>
      <source>办件信息</source>
      <translation>ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠮᠡᠳᠡᠭᠡ ᠰᠡᠳᠬᠦᠯ</translation>
    </message>
    <message>
      <source>收件材料清单</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠪᠠᠷᠢᠮᠲᠠ ᠶᠢᠨ ᠵᠢᠭᠰᠠᠭᠠᠯᠲ</translation>
    </message>
    <message>
      <source>办理时限</source>
      <translation>ᠪᠦᠲᠦᠭᠡᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ</translation>
    </message>
    <message>
      <source>进度查询与结果领取</source>
      <translation>ᠶᠠᠪᠤᠴᠠ ᠶᠢ ᠯᠠᠪᠠᠯᠠᠬᠤ ᠪᠠ ᠦᠷ᠎ᠡ ᠳᠦᠨ ᠢ ᠠᠪᠬᠤ</translation>
    </message>
    <message>
      <source>不予受理的理由和依据</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠦᠭᠡᠢ ᠰᠢᠯᠲᠠᠭᠠᠨ ᠪᠠ ᠦᠨᠳᠦᠰᠯᠡᠯ</translation>
    </message>
    <message>
      <source>申请人的权利</source>
      <translation>ᠭᠤᠶᠤᠴᠢ ᠶᠢᠨ ᠡᠷᠬᠡ</translation>
    </message>
    <message>
      <source>尚需提交的材料</source>
      <translation>ᠪᠡᠷ᠎ᠡ ᠲᠤᠱᠢᠶᠠᠬᠤ ᠪᠠᠷᠢᠮᠲᠠ</translation>
    </message>
    <message>
      <source>其他需要说明的事项</source>
      <translation>ᠪᠤᠰᠤ ᠲᠠᠶᠢᠯᠪᠤᠷᠢᠯᠠᠬᠤ ᠬᠡᠷᠡᠭ</translation>
    </message>
    <message>
      <source>办理的事项</source>
      <translation>ᠪᠦᠲᠦᠭᠡᠬᠦ ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ</translation>
    </message>
    <message>
      <source>收取的材料</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠪᠠᠷᠢᠮᠲᠠ</translation>
    </message>
    <message>
      <source>说明</source>
      <translation>ᠲᠠᠶᠢᠯᠪᠤᠷᠢ</translation>
    </message>
    <message>
      <source>事项基本信息</source>
      <translation>ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠦᠨᠳᠦᠰᠦᠨ ᠮᠡᠳᠡᠭᠡ ᠰᠡᠳᠬᠦᠯ</translation>
    </message>
    <message>
      <source>需要补正的材料</source>
      <translation>ᠨᠥᠬᠦᠵᠦ ᠵᠠᠰᠠᠬᠤ ᠪᠠᠷᠢᠮᠲᠠ</translation>
    </message>
    <message>
      <source>补正方式与受理</source>
      <translation>ᠨᠥᠬᠦᠵᠦ ᠵᠠᠰᠠᠬᠤ ᠠᠷᠭ᠎ᠠ ᠪᠠ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ</translation>
    </message>
    <message>
      <source>承诺人</source>
      <translation>ᠠᠮᠠᠯᠠᠭᠴᠢ</translation>
    </message>
    <message>
      <source>行政机关告知</source>
      <translation>ᠵᠠᠰᠠᠭ ᠤᠨ ᠪᠠᠢᠭᠤᠯᠯᠠᠭ᠎ᠠ ᠶᠢᠨ ᠮᠡᠳᠡᠭᠳᠡᠯ</translation>
    </message>
    <message>
      <source>申请人承诺</source>
      <translation>ᠭᠤᠶᠤᠴᠢ ᠶᠢᠨ ᠠᠮᠠᠯᠠᠯᠲᠠ</translation>
    </message>
    <message>
      <source>最近叫号</source>
      <translation>ᠰᠠᠶᠠ ᠳᠤᠭᠤᠳᠠᠭᠰᠠᠨ ᠳᠤᠭᠠᠷ</translation>
    </message>
    <message>
      <source>空闲</source>
      <translation>ᠰᠤᠯ</translation>
    </message>
    <message>
      <source>暂停服务</source>
      <translation>ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠲᠦᠷ ᠵᠣᠭᠰᠣᠪᠠ</translation>
    </message>
    <message>
      <source>{n} 号窗口</source>
      <translation>{n} ᠳᠤᠭᠠᠷ ᠴᠣᠩᠬᠤ</translation>
    </message>
    <message>
      <source>请 {code} 号到 {window} 号窗口办理</source>
      <translation>{code} ᠳᠤᠭᠠᠷ {window} ᠳᠤᠭᠠᠷ ᠴᠣᠩᠬᠤ ᠳᠤ ᠢᠷᠡᠭᠡᠷᠡᠢ</translation>
    </message>
    <message>
      <source>等候 {n} 人</source>
      <translation>{n} ᠬᠦᠮᠦᠨ ᠬᠦᠯᠢᠶᠡᠵᠦ ᠪᠤᠢ</translation>
    </message>
    <message>
      <source>重呼</source>
      <translation>ᠳᠠᠬᠢᠨ ᠳᠤᠭᠤᠳᠠᠪᠠ</translation>
    </message>
    <message>
      <source>请按号码顺序办理业务，过号请到服务台重新取号。</source>
      <translation>ᠳᠤᠭᠠᠷ ᠤᠨ ᠳᠠᠷᠠᠭᠠᠯᠠᠯ ᠢᠶᠠᠷ ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠢᠶᠡᠨ ᠪᠦᠲᠦᠭᠡᠨ᠎ᠡ ᠦᠦ᠂ ᠳᠤᠭᠠᠷ ᠥᠩᠭᠡᠷᠡᠭᠰᠡᠨ ᠪᠣᠯ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠱᠢᠷᠡᠭᠡ ᠳᠦ ᠳᠠᠬᠢᠨ ᠳᠤᠭᠠᠷ ᠠᠪᠤᠨ᠎ᠠ ᠤᠤ᠃</translation>
    </message>
    <message>
      <source>自助取号</source>
      <translation>ᠥᠪᠡᠷ ᠢᠶᠡᠨ ᠳᠤᠭᠠᠷ ᠠᠪᠬᠤ</translation>
    </message>
    <message>
      <source>请点击要办理的业务类别</source>
      <translation>ᠪᠦᠲᠦᠭᠡᠬᠦ ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠠᠨᠭᠢᠯᠠᠯ ᠢ ᠳᠠᠷᠠᠨ᠎ᠠ ᠤᠤ</translation>
    </message>
    <message>
      <source>绿色通道</source>
      <translation>ᠨᠣᠭᠣᠭᠠᠨ ᠵᠠᠮ</translation>
    </message>
    <message>
      <source>老年人优先</source>
      <translation>ᠥᠲᠡᠭᠦᠰ ᠤᠷᠢᠳᠠ</translation>
    </message>
    <message>
      <source>残疾人优先</source>
      <translation>ᠬᠠᠭᠠᠰ ᠪᠡᠶ᠎ᠡᠲᠦ ᠬᠦᠮᠦᠨ ᠤᠷᠢᠳᠠ</translation>
    </message>
    <message>
      <source>军人优先</source>
      <translation>ᠴᠡᠷᠢᠭ ᠤᠷᠢᠳᠠ</translation>
    </message>
    <message>
      <source>预约签到</source>
      <translation>ᠤᠷᠢᠳ ᠵᠠᠬᠢᠶᠠᠭᠰᠠᠨ ᠢᠶᠠᠨ ᠪᠠᠲᠤᠯᠠᠬᠤ</translation>
    </message>
    <message>
      <source>正在出票，请稍候…</source>
      <translation>ᠳᠤᠭᠠᠷ ᠤᠨ ᠪᠢᠴᠢᠭ ᠭᠠᠷᠭᠠᠵᠤ ᠪᠠᠢᠨ᠎ᠠ᠂ ᠲᠦᠷ ᠬᠦᠯᠢᠶᠡᠨ᠎ᠡ ᠦᠦ</translation>
    </message>
    <message>
      <source>请取走号票</source>
      <translation>ᠳᠤᠭᠠᠷ ᠤᠨ ᠪᠢᠴᠢᠭ ᠢᠶᠡᠨ ᠠᠪᠤᠨ᠎ᠠ ᠤᠤ</translation>
    </message>
    <message>
      <source>前面没有人等候</source>
      <translation>ᠡᠮᠦᠨ᠎ᠡ ᠬᠦᠯᠢᠶᠡᠭᠴᠢ ᠦᠭᠡᠢ</translation>
    </message>
    <message>
      <source>号票打印失败，请联系工作人员</source>
      <translation>ᠳᠤᠭᠠᠷ ᠤᠨ ᠪᠢᠴᠢᠭ ᠳᠠᠷᠤᠭᠳᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ᠂ ᠠᠵᠢᠯᠴᠢᠨ ᠳᠤ ᠬᠠᠨᠳᠤᠨ᠎ᠠ ᠤᠤ</translation>
    </message>
    <message>
      <source>取号失败，请联系工作人员</source>
      <translation>ᠳᠤᠭᠠᠷ ᠠᠪᠴᠤ ᠴᠢᠳᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ᠂ ᠠᠵᠢᠯᠴᠢᠨ ᠳᠤ ᠬᠠᠨᠳᠤᠨ᠎ᠠ ᠤᠤ</translation>
    </message>
    <message>
      <source>本大厅暂未开放取号，请到服务台咨询</source>
      <translation>ᠡᠨᠡ ᠲᠠᠨᠬᠢᠮ ᠳᠤᠭᠠᠷ ᠠᠪᠬᠤ ᠶᠢ ᠡᠪᠡ ᠨᠡᠭᠡᠭᠡᠭᠰᠡᠨ ᠦᠭᠡᠢ᠂ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠱᠢᠷᠡᠭᠡ ᠳᠦ ᠯᠠᠪᠠᠯᠠᠨ᠎ᠠ ᠤᠤ</translation>
    </message>
    <message>
      <source>请对本次服务进行评价</source>
      <translation>ᠡᠨᠡ ᠤᠳᠠᠭ᠎ᠠ ᠶᠢᠨ ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠳᠦ ᠦᠨᠡᠯᠡᠯᠲ ᠥᠭᠦᠨ᠎ᠡ ᠦᠦ</translation>
    </message>
    <message>
      <source>业务办理完成后，请在这里为我们的服务评价。</source>
      <translation>ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠪᠦᠲᠦᠭᠡᠭᠰᠡᠨ ᠦ ᠳᠠᠷᠠᠭ᠎ᠠ ᠡᠨᠳᠡ ᠮᠠᠨᠤ ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠳᠦ ᠦᠨᠡᠯᠡᠯᠲ ᠥᠭᠦᠨ᠎ᠡ ᠦᠦ᠃</translation>
    </message>
    <message>
      <source>感谢您的评价！</source>
      <translation>ᠲᠠᠨ ᠤ ᠦᠨᠡᠯᠡᠯᠲ ᠳᠦ ᠪᠠᠶᠠᠷᠯᠠᠯᠠᠠ</translation>
    </message>
    <message>
      <source>我们会继续改进服务。</source>
      <translation>ᠪᠢᠳᠡ ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠪᠡᠨ ᠤᠯᠠᠮ ᠰᠠᠶᠢᠵᠢᠷᠠᠭᠤᠯᠤᠨ᠎ᠠ᠃</translation>
    </message>
    <message>
      <source>非常满意</source>
      <translation>ᠮᠠᠰᠢ ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢᠲᠠᠢ</translation>
    </message>
    <message>
      <source>满意</source>
      <translation>ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢᠲᠠᠢ</translation>
    </message>
    <message>
      <source>基本满意</source>
      <translation>ᠦᠨᠳᠦᠰᠦᠨᠳᠡᠭᠡᠨ ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢᠲᠠᠢ</translation>
    </message>
    <message>
      <source>不满意</source>
      <translation>ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢ ᠦᠭᠡᠢ</translation>
    </message>
    <message>
      <source>非常不满意</source>
      <translation>ᠮᠠᠰᠢ ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢ ᠦᠭᠡᠢ</translation>
    </message>
    <message>
      <source>整体满意度</source>
      <translation>ᠪᠦᠬᠦ ᠶᠢᠨ ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢ</translation>
    </message>
    <message>
      <source>服务效率</source>
      <translation>ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠶᠢᠨ ᠦᠷ᠎ᠡ ᠠᠱᠢᠭ</translation>
    </message>
    <message>
      <source>服务水平</source>
      <translation>ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠶᠢᠨ ᠲᠦᠪᠰᠢᠨ</translation>
    </message>
    <message>
      <source>服务态度</source>
      <translation>ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠶᠢᠨ ᠬᠠᠨᠳᠤᠯᠭ᠎ᠠ</translation>
    </message>
    <message>
      <source>提交评价</source>
      <translation>ᠦᠨᠡᠯᠡᠯᠲ ᠢ ᠲᠤᠱᠢᠶᠠᠬᠤ</translation>
    </message>
    <message>
      <source>暂不评价</source>
      <translation>ᠣᠳᠣ ᠦᠨᠡᠯᠡᠬᠦ ᠦᠭᠡᠢ</translation>
    </message>
    <message>
      <source>分</source>
      <translation>ᠣᠨᠣᠭ᠎ᠠ</translation>
    </message>
    <message>
      <source>请选择不满意的原因（可多选）</source>
      <translation>ᠰᠡᠳᠬᠢᠯ ᠬᠠᠨᠤᠮᠵᠢ ᠦᠭᠡᠢ ᠰᠢᠯᠲᠠᠭᠠᠨ ᠢ ᠰᠣᠩᠭᠣᠨ᠎ᠠ ᠤᠤ</translation>
    </message>
    <message>
      <source>等候时间长</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ ᠤᠷᠲᠤ</translation>
    </message>
    <message>
      <source>办理时间长</source>
      <translation>ᠱᠢᠢᠳᠬᠡᠬᠦ ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ ᠤᠷᠲᠤ</translation>
    </message>
    <message>
      <source>服务态度不好</source>
      <translation>ᠦᠢᠯᠡᠴᠢᠯᠭᠡ ᠶᠢᠨ ᠬᠠᠨᠳᠤᠯᠭ᠎ᠠ ᠮᠠᠭᠤ</translation>
    </message>
    <message>
      <source>材料要求不清楚</source>
      <translation>ᠮᠠᠲᠡᠷᠢᠶᠠᠯ ᠤᠨ ᠱᠠᠭᠠᠷᠳᠯᠠᠭ᠎ᠠ ᠲᠣᠳᠣ ᠪᠤᠰᠤ</translation>
    </message>
    <message>
      <source>多次跑腿</source>
      <translation>ᠣᠯᠠᠨ ᠤᠳᠠᠭ᠎ᠠ ᠶᠠᠪᠤᠭᠰᠠᠨ</translation>
    </message>
    <message>
      <source>其他</source>
      <translation>ᠪᠤᠰᠤ</translation>
    </message>
    <message>
      <source>长辈模式</source>
      <translation>ᠬᠥᠭᠰᠢᠳ ᠦᠨ ᠬᠡᠪ</translation>
    </message>
    <message>
      <source>再听一遍</source>
      <translation>ᠳᠠᠬᠢᠨ ᠰᠣᠨᠣᠰᠬᠤ</translation>
    </message>
    <message>
      <source>办件</source>
      <translation>ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ</translation>
    </message>
    <message>
      <source>号票</source>
      <translation>ᠳᠤᠭᠠᠷ ᠤᠨ ᠪᠢᠴᠢᠭ</translation>
    </message>
    <message>
      <source>工作人员</source>
      <translation>ᠠᠵᠢᠯᠴᠢᠨ</translation>
    </message>
    <message>
      <source>呼叫工作人员</source>
      <translation>ᠠᠵᠢᠯᠴᠢᠨ ᠢ ᠳᠤᠭᠤᠳᠠᠬᠤ</translation>
    </message>
    <message>
      <source>已呼叫工作人员，请稍候</source>
      <translation>ᠠᠵᠢᠯᠴᠢᠨ ᠢ ᠳᠤᠭᠤᠳᠠᠪᠠ᠂ ᠲᠦᠷ ᠬᠦᠯᠢᠶᠡᠨ᠎ᠡ ᠦᠦ</translation>
    </message>
    <message>
      <source>呼叫失败，请到服务台咨询</source>
      <translation>ᠠᠵᠢᠯᠴᠢᠨ ᠢ ᠳᠤᠭᠤᠳᠠᠵᠤ ᠴᠢᠳᠠᠭᠰᠠᠨ ᠦᠭᠡᠢ᠂ ᠦᠢᠯᠡᠴᠢᠯᠭᠡᠨ ᠦ ᠱᠢᠷᠡᠭᠡ ᠳᠦ ᠯᠠᠪᠠᠯᠠᠨ᠎ᠠ ᠤᠤ</translation>
    </message>
    <message>
      <source>确认签到</source>
      <translation>ᠤᠷᠢᠳ ᠵᠠᠬᠢᠶᠠᠭᠰᠠᠨ ᠢᠶᠠᠨ ᠪᠠᠲᠤᠯᠠᠬᠤ</translation>
    </message>
    <message>
      <source>受理通知书</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ</translation>
    </message>
    <message>
      <source>受理回执</source>
      <translation>ᠬᠠᠷᠢᠭᠤ ᠪᠢᠴᠢᠭ</translation>
    </message>
    <message>
      <source>一件事一次办受理回执</source>
      <translation>ᠨᠢᠭᠡ ᠬᠡᠷᠡᠭ ᠢ ᠨᠢᠭᠡ ᠤᠳᠠᠭ᠎ᠠ ᠪᠦᠲᠦᠭᠡᠬᠦ ᠬᠠᠷᠢᠭᠤ ᠪᠢᠴᠢᠭ</translation>
    </message>
    <message>
      <source>一次性告知书</source>
      <translation>ᠨᠢᠭᠡ ᠤᠳᠠᠭ᠎ᠠ ᠮᠡᠳᠡᠭᠳᠡᠬᠦ ᠪᠢᠴᠢᠭ</translation>
    </message>
    <message>
      <source>补正材料通知书</source>
      <translation>ᠪᠠᠷᠢᠮᠲᠠ ᠨᠥᠬᠦᠵᠦ ᠵᠠᠰᠠᠬᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ</translation>
    </message>
    <message>
      <source>容缺受理通知书</source>
      <translation>ᠳᠤᠲᠠᠭᠤ ᠶᠢ ᠲᠡᠪᠴᠢᠵᠦ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ</translation>
    </message>
    <message>
      <source>容缺受理承诺书</source>
      <translation>ᠳᠤᠲᠠᠭᠤ ᠶᠢ ᠲᠡᠪᠴᠢᠵᠦ ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠠᠮᠠᠯᠠᠯᠲᠠ ᠶᠢᠨ ᠪᠢᠴᠢᠭ</translation>
    </message>
    <message>
      <source>告知承诺书</source>
      <translation>ᠮᠡᠳᠡᠭᠳᠡᠵᠦ ᠠᠮᠠᠯᠠᠬᠤ ᠪᠢᠴᠢᠭ</translation>
    </message>
    <message>
      <source>不予受理决定书</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠬᠤ ᠦᠭᠡᠢ ᠰᠢᠢᠳᠪᠦᠷᠢ</translation>
    </message>
    <message>
      <source>补交材料回执</source>
      <translation>ᠨᠥᠬᠦᠵᠦ ᠲᠤᠰᠢᠶᠠᠭᠰᠠᠨ ᠪᠠᠷᠢᠮᠲᠠ ᠶᠢᠨ ᠬᠠᠷᠢᠭᠤ ᠪᠢᠴᠢᠭ</translation>
    </message>
    <message>
      <source>终止办理通知书</source>
      <translation>ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠢ ᠵᠣᠭᠰᠣᠭᠠᠬᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ</translation>
    </message>
    <message>
      <source>延期告知书</source>
      <translation>ᠬᠤᠭᠤᠴᠠᠭ᠎ᠠ ᠰᠤᠩᠭᠠᠬᠤ ᠮᠡᠳᠡᠭᠳᠡᠯ</translation>
    </message>
    <message>
      <source>撤销决定书</source>
      <translation>ᠬᠦᠴᠦᠨ ᠦᠭᠡᠢ ᠪᠣᠯᠭᠠᠬᠤ ᠰᠢᠢᠳᠪᠦᠷᠢ</translation>
    </message>
    <message>
      <source>申请人留存联</source>
      <translation>ᠭᠤᠶᠤᠴᠢ ᠶᠢᠨ ᠬᠠᠳᠠᠭᠠᠯᠠᠬᠤ ᠬᠤᠪᠢ</translation>
    </message>
    <message>
      <source>存档联</source>
      <translation>ᠪᠠᠷᠢᠮᠲᠠ ᠶᠢᠨ ᠰᠠᠩ ᠳᠤ ᠬᠠᠳᠠᠭᠠᠯᠠᠬᠤ ᠬᠤᠪᠢ</translation>
    </message>
    <message>
      <source>申请人</source>
      <translation>ᠭᠤᠶᠤᠴᠢ</translation>
    </message>
    <message>
      <source>事项名称</source>
      <translation>ᠠᠵᠢᠯ ᠬᠡᠷᠡᠭ ᠦᠨ ᠨᠡᠷ᠎ᠡ</translation>
    </message>
    <message>
      <source>受理编号</source>
      <translation>ᠬᠦᠯᠢᠶᠡᠨ ᠠᠪᠤᠭᠰᠠᠨ ᠳᠤᠭᠠᠷ</translation>
    </message>
    <message>
      <source>申请人（签收）</source>
      <translation>ᠭᠤᠶᠤᠴᠢ (ᠭᠠᠷ ᠦᠰᠦᠭ)</translation>
    </message>
    <message>
      <source>日期</source>
      <translation>ᠡᠳᠦᠷ</translation>
    </message>
    <message>
      <source>排队号</source>
      <translation>ᠳᠠᠷᠠᠭᠠᠯᠠᠯ ᠤᠨ ᠳᠤᠭᠠᠷ</translation>
    </message>
    <message>
      <source>您前面还有</source>
      <translation>ᠲᠠᠨ ᠤ ᠡᠮᠦᠨ᠎ᠡ</translation>
    </message>
    <message>
      <source>人等候</source>
      <translation>ᠬᠦᠮᠦᠨ ᠬᠦᠯᠢᠶᠡᠵᠦ ᠪᠠᠢᠨ᠎ᠠ</translation>
    </message>
    <message>
      <source>请留意叫号</source>
      <translation>ᠳᠤᠭᠠᠷ ᠳᠤᠭᠤᠳᠠᠬᠤ ᠶᠢ ᠠᠨᠬᠠᠷᠠᠨ ᠰᠣᠨᠣᠰᠤᠨ᠎ᠠ ᠤᠤ</translation>
    </message>
    <message>
      <source>取号时间</source>
      <translation>ᠳᠤᠭᠠᠷ ᠠᠪᠤᠭᠰᠠᠨ ᠴᠠᠭ</translation>
    </message>
  </context>
</TS>
